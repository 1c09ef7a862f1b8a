package org.ecpds.mover.transfer.webdav;

import java.io.IOException;
import java.io.InputStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.http.UrlPaths;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads a PROPFIND Depth: 1 multistatus reply as it streams in (SAX: a directory of a million
 * entries costs only the entries). DTDs and external entities are refused (no XXE).
 */
final class Multistatus {
  private Multistatus() {}

  /** The children of {@code dirPath} (decoded URL path); the directory's own entry is dropped. */
  static List<RemoteFile> children(InputStream xml, String dirPath) throws IOException {
    Handler h = new Handler(UrlPaths.stripSlash(dirPath));
    try {
      parser().parse(xml, h);
    } catch (SAXException | ParserConfigurationException e) {
      throw new IOException("invalid PROPFIND reply: " + e.getMessage(), e);
    }
    return h.out;
  }

  private static SAXParser parser() throws ParserConfigurationException, SAXException {
    SAXParserFactory f = SAXParserFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setXIncludeAware(false);
    return f.newSAXParser();
  }

  private static final class Handler extends DefaultHandler {
    private final String self;
    private final List<RemoteFile> out = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private String href;
    private long size;
    private long mtime;
    private boolean collection;
    private boolean okPropstat;
    private boolean inPropstat;
    private long propSize;
    private long propMtime;
    private boolean propCollection;

    Handler(String self) {
      this.self = self;
    }

    @Override
    public void startElement(String uri, String local, String qName, Attributes atts) {
      text.setLength(0);
      switch (local) {
        case "response" -> {
          href = null;
          size = -1;
          mtime = 0;
          collection = false;
        }
        case "propstat" -> {
          inPropstat = true;
          okPropstat = true;
          propSize = -1;
          propMtime = 0;
          propCollection = false;
        }
        case "collection" -> propCollection = true;
        default -> { }
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      text.append(ch, start, length);
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      String t = text.toString().trim();
      switch (local) {
        case "href" -> {
          if (!inPropstat) href = t;
        }
        case "status" -> {
          if (inPropstat) okPropstat = t.contains(" 2");
        }
        case "getcontentlength" -> propSize = parseLong(t);
        case "getlastmodified" -> propMtime = parseDate(t);
        case "propstat" -> {
          inPropstat = false;
          if (okPropstat) { // 404 propstats list the properties the server lacks
            if (propSize >= 0) size = propSize;
            if (propMtime > 0) mtime = propMtime;
            collection |= propCollection;
          }
        }
        case "response" -> add();
        default -> { }
      }
      text.setLength(0);
    }

    private void add() {
      if (href == null) return;
      String path = href;
      int scheme = path.indexOf("://");
      if (scheme > 0) {
        int slash = path.indexOf('/', scheme + 3);
        path = slash < 0 ? "/" : path.substring(slash);
      }
      path = UrlPaths.stripSlash(UrlPaths.decode(path));
      if (path.equals(self) || path.isEmpty()) return;
      String name = UrlPaths.name(path);
      if (name.isEmpty()) return;
      boolean dir = collection || href.endsWith("/");
      out.add(new RemoteFile(name, dir ? 0 : size, mtime, dir));
    }

    private static long parseLong(String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    private static long parseDate(String s) {
      try {
        return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        return 0;
      }
    }
  }
}
