package org.ecpds.testkit;

/** Where a test's private database lives. */
public record TestDatabase(String kind, String jdbcUrl, String user, String password) {
  @Override
  public String toString() {
    return kind;
  }
}
