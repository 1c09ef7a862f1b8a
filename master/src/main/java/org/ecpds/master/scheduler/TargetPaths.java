package org.ecpds.master.scheduler;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.Host;
import org.ecpds.master.rules.DirectoryTemplate;
import org.ecpds.master.rules.TemplateContext;

/**
 * Resolves a host's directory template (docs/rules.md) for one transfer. Templates are parsed once
 * and kept: a host has one, and the scheduler resolves it for every dispatch.
 */
final class TargetPaths {
  private static final int MAX_CACHED = 10_000;
  private static final Map<String, DirectoryTemplate> PARSED = new ConcurrentHashMap<>();

  private TargetPaths() {}

  static String resolve(String template, Destination d, Host h, DataTransfer t, FileFacts f, String mover,
      Instant now) {
    String text = template == null ? "" : template;
    DirectoryTemplate parsed = PARSED.get(text);
    if (parsed == null) {
      parsed = DirectoryTemplate.parse(text);
      if (PARSED.size() >= MAX_CACHED) PARSED.clear();
      PARSED.put(text, parsed);
    }
    Map<String, String> md = f.metadata() == null ? Map.of() : f.metadata();
    TemplateContext ctx = new TemplateContext(
        new TemplateContext.DataFile(f.id(), f.target(), f.source(), f.size(), Instant.ofEpochMilli(f.arrivedMs()),
            null, null, null, md.get("time"), md.get("stream"), f.sha256(), md),
        new TemplateContext.Transfer(t.id(), t.target(), t.message(), null, t.priority(),
            Instant.ofEpochMilli(t.queueMs()), t.status(), t.asap()),
        new TemplateContext.Destination(d.name(), d.comment(), null),
        new TemplateContext.Host(h.name(), h.name(), h.address(), h.login(), null, null, null, null),
        h.transferMethod(), mover, now);
    return parsed.resolve(ctx);
  }
}
