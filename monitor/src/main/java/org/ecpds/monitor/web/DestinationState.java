package org.ecpds.monitor.web;

import org.ecpds.proto.DestinationSummary;

/** The destination's state badge: the master's label, its code as a tooltip, nothing inferred. */
final class DestinationState {
  private DestinationState() {}

  static void badge(Html h, DestinationSummary s) {
    String code = s.getState();
    String label = s.getStateLabel().isEmpty() ? code : s.getStateLabel();
    h.raw("<span").attr("class", StatusCodes.cssClass(code) + " state-badge").attr("data-state", code)
        .attr("title", code).raw(">").text(label.isEmpty() ? Format.NONE : label).raw("</span>");
  }
}
