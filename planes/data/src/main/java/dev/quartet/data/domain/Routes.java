package dev.quartet.data.domain;

/** Syntax of route names; the routes themselves come from the applied config ({@link RouteBook}). */
public final class Routes {
  private Routes() {}

  /**
   * Checks a route name: 1–128 of lowercase letters, digits and {@code . _ / -}, starting with a
   * letter or digit.
   *
   * @throws IllegalArgumentException naming the rule
   */
  public static String requireValid(String route) {
    if (route == null || !route.matches("[a-z0-9][a-z0-9._/-]{0,127}")) {
      throw new IllegalArgumentException("route must be 1-128 characters of a-z, 0-9, '.', '_', '/', '-', "
          + "starting with a letter or digit");
    }
    return route;
  }
}
