package org.ecpds.portal.s3;

import java.util.List;

/** What SigV4 needs to see of an HTTP request, as received (raw, still percent-encoded). */
interface RequestView {
  String method();

  /** The path exactly as sent, percent-encoded. */
  String rawPath();

  /** The query string exactly as sent, or null. */
  String rawQuery();

  /** Every value of a header (case-insensitive name), in order. */
  List<String> headers(String name);

  default String header(String name) {
    List<String> v = headers(name);
    return v.isEmpty() ? null : v.get(0);
  }
}
