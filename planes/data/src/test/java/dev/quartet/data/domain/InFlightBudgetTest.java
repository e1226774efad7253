package dev.quartet.data.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InFlightBudgetTest {
  @Test
  void admitsUpToCapacityAndRefusesBeyond() {
    var budget = new InFlightBudget(100);
    assertTrue(budget.tryAcquire(60));
    assertTrue(budget.tryAcquire(40));
    assertFalse(budget.tryAcquire(1), "a full budget refuses");
    assertEquals(100, budget.used());
  }

  @Test
  void aRefusalReservesNothing() {
    var budget = new InFlightBudget(100);
    assertTrue(budget.tryAcquire(70));
    assertFalse(budget.tryAcquire(31));
    assertEquals(70, budget.used());
    assertTrue(budget.tryAcquire(30));
  }

  @Test
  void releasedBytesCanBeReservedAgain() {
    var budget = new InFlightBudget(100);
    assertTrue(budget.tryAcquire(100));
    budget.release(100);
    assertTrue(budget.tryAcquire(100));
  }

  @Test
  void releasingMoreThanReservedIsABug() {
    var budget = new InFlightBudget(100);
    budget.tryAcquire(10);
    assertThrows(IllegalStateException.class, () -> budget.release(11));
  }

  @Test
  void refusesANonPositiveCapacity() {
    assertThrows(IllegalArgumentException.class, () -> new InFlightBudget(0));
  }
}
