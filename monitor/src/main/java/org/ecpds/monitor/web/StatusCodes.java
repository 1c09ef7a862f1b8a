package org.ecpds.monitor.web;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ecpds.proto.TransferStatusCode;
import org.ecpds.proto.TransferView;

/**
 * How the monitor shows status codes. It knows only the protocol's vocabulary (the
 * {@link TransferStatusCode} enum) and the labels the master sends; which action a status allows
 * and what a status is called are the master's answers, never restated here.
 */
final class StatusCodes {
  /** Every code the protocol defines, in its declaration order (the home page's count columns). */
  static final List<String> ALL = Arrays.stream(TransferStatusCode.values())
      .filter(c -> c != TransferStatusCode.TRANSFER_STATUS_UNSPECIFIED && c != TransferStatusCode.UNRECOGNIZED)
      .map(Enum::name).toList();

  private StatusCodes() {}

  /** The transfer's code: the enum when the master set it, else the legacy string field. */
  static String code(TransferView t) {
    TransferStatusCode c = t.getStatusCode();
    return c == TransferStatusCode.TRANSFER_STATUS_UNSPECIFIED || c == TransferStatusCode.UNRECOGNIZED
        ? t.getStatus() : c.name();
  }

  /** The master's label, or the code when it sent none. */
  static String label(TransferView t) {
    return t.getStatusLabel().isEmpty() ? code(t) : t.getStatusLabel();
  }

  static boolean known(String code) {
    return code != null && ALL.contains(code);
  }

  /**
   * CSS class of a status or destination-state badge. Only protocol codes become class names, so
   * text from the master never turns into an arbitrary class.
   */
  static String cssClass(String code) {
    return "st st-" + (known(code) ? code.toLowerCase(Locale.ROOT) : "unknown");
  }
}
