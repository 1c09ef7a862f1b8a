package org.ecpds.portal.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** S3's XML: a small writer for replies, and a parser for request bodies that refuses DTDs and entities. */
final class S3Xml {
  static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  static S3Xml document(String root) {
    S3Xml x = new S3Xml();
    x.sb.append('<').append(root).append(" xmlns=\"").append(NS).append("\">");
    return x;
  }

  static S3Xml bare(String root) {
    S3Xml x = new S3Xml();
    x.sb.append('<').append(root).append('>');
    return x;
  }

  S3Xml open(String name) {
    sb.append('<').append(name).append('>');
    return this;
  }

  S3Xml close(String name) {
    sb.append("</").append(name).append('>');
    return this;
  }

  S3Xml element(String name, Object value) {
    sb.append('<').append(name).append('>');
    escape(String.valueOf(value));
    sb.append("</").append(name).append('>');
    return this;
  }

  S3Xml elementIf(String name, Object value) {
    return value == null ? this : element(name, value);
  }

  String end(String root) {
    return sb.append("</").append(root).append('>').toString();
  }

  static String date(long millis) {
    return ISO.format(Instant.ofEpochMilli(millis));
  }

  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') sb.append("&#x").append(Integer.toHexString(c)).append(';');
          else sb.append(c);
        }
      }
    }
  }

  /** Parses a request body; DOCTYPEs, external entities and XInclude are refused (no XXE). */
  static Element parse(byte[] body) throws S3Exception {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(true);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      Document d = b.parse(new ByteArrayInputStream(body));
      return d.getDocumentElement();
    } catch (SAXException | IOException e) {
      throw S3Exception.malformedXml("The XML you provided was not well-formed or did not validate against our published schema");
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The child elements of {@code parent} with this local name. */
  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(localName(e))) out.add(e);
    }
    return out;
  }

  /** The trimmed text of the first child element with this local name, or null. */
  static String childText(Element parent, String name) {
    String raw = childRaw(parent, name);
    return raw == null ? null : raw.trim();
  }

  /** The text exactly as sent (object keys may begin or end with spaces). */
  static String childRaw(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0).getTextContent();
  }

  static String localName(Element e) {
    return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
  }
}
