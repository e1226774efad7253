package dev.quartet.runtime;

import dev.quartet.contracts.ProblemType;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Translates the planes' precise exceptions into problem+json answers, once, at the edge. */
@Factory
public class ProblemHandlers {
  /** Media type of RFC 9457 bodies. */
  public static final String PROBLEM_JSON = "application/problem+json";

  @Singleton
  ExceptionHandler<InvalidRequestException, HttpResponse<?>> invalid() {
    return (HttpRequest request, InvalidRequestException e) -> answer(ProblemType.VALIDATION, e.getMessage());
  }

  @Singleton
  ExceptionHandler<ProblemException, HttpResponse<?>> problem() {
    return (HttpRequest request, ProblemException e) -> answer(e.type(), e.getMessage());
  }

  @Singleton
  ExceptionHandler<OverloadedException, HttpResponse<?>> overloaded() {
    return (HttpRequest request, OverloadedException e) -> answer(ProblemType.OVERLOADED, e.getMessage())
        .header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
  }

  /** A response carrying {@code type}'s status and a problem body. */
  public static MutableHttpResponse<Problem> answer(ProblemType type, String detail) {
    return HttpResponse.<Problem>status(HttpStatus.valueOf(type.status()))
        .contentType(PROBLEM_JSON)
        .body(Problem.of(type, detail));
  }
}
