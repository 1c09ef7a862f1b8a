package org.ecpds.portal.webdav;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.ecpds.portal.https.HttpReply;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Request bodies through the JDK's parser with DTDs, external entities and XInclude off (no XXE, no
 * entity expansion bombs), namespace-aware; and the inverse: an element written back as a
 * self-contained fragment that declares every namespace it uses, for dead properties and lock owners.
 */
final class SafeXml {
  static final String DAV = "DAV:";
  private static final DocumentBuilderFactory FACTORY = factory();

  private SafeXml() {}

  private static DocumentBuilderFactory factory() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      return f;
    } catch (Exception e) {
      throw new IllegalStateException("the JDK's XML parser cannot be secured", e);
    }
  }

  /** The document element of a body; 400 when the body is not well-formed namespaced XML. */
  static Element parse(byte[] body) throws HttpReply {
    try {
      DocumentBuilder builder = FACTORY.newDocumentBuilder();
      builder.setErrorHandler(new ErrorHandler() {
        @Override public void warning(SAXParseException e) {}
        @Override public void error(SAXParseException e) throws SAXParseException { throw e; }
        @Override public void fatalError(SAXParseException e) throws SAXParseException { throw e; }
      });
      Document doc = builder.parse(new ByteArrayInputStream(body));
      return doc.getDocumentElement();
    } catch (Exception e) {
      throw new HttpReply(400, "the XML request body is not well-formed");
    }
  }

  static boolean is(Node n, String namespace, String local) {
    return n instanceof Element e && namespace.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
  }

  static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) if (n instanceof Element e) out.add(e);
    return out;
  }

  static Element child(Element parent, String namespace, String local) {
    for (Element e : children(parent)) if (is(e, namespace, local)) return e;
    return null;
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** An element as a fragment: every element carries its namespace as the default one when it changes. */
  static String fragment(Element e) {
    StringBuilder out = new StringBuilder();
    write(out, e, null);
    return out.toString();
  }

  /** The children of an element as fragments (a lock's owner). */
  static String content(Element e, String inheritedDefault) {
    StringBuilder out = new StringBuilder();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) writeNode(out, n, inheritedDefault);
    return out.toString();
  }

  private static void writeNode(StringBuilder out, Node n, String defaultNs) {
    switch (n.getNodeType()) {
      case Node.ELEMENT_NODE -> write(out, (Element) n, defaultNs);
      case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> out.append(escape(n.getNodeValue()));
      default -> { }
    }
  }

  private static void write(StringBuilder out, Element e, String defaultNs) {
    String ns = e.getNamespaceURI() == null ? "" : e.getNamespaceURI();
    String local = e.getLocalName() == null ? e.getNodeName() : e.getLocalName();
    out.append('<').append(local);
    if (!ns.equals(defaultNs == null ? "" : defaultNs) || (defaultNs == null && !ns.isEmpty())) {
      out.append(" xmlns=\"").append(escape(ns)).append('"');
    }
    NamedNodeMap attrs = e.getAttributes();
    Map<String, String> prefixes = new HashMap<>();
    for (int i = 0; i < attrs.getLength(); i++) {
      Attr a = (Attr) attrs.item(i);
      String ans = a.getNamespaceURI();
      if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(ans)) continue;
      String aLocal = a.getLocalName() == null ? a.getName() : a.getLocalName();
      if (ans == null || ans.isEmpty()) {
        out.append(' ').append(aLocal);
      } else if (XMLConstants.XML_NS_URI.equals(ans)) {
        out.append(" xml:").append(aLocal);
      } else {
        String p = prefixes.get(ans);
        if (p == null) {
          p = "a" + prefixes.size();
          prefixes.put(ans, p);
          out.append(" xmlns:").append(p).append("=\"").append(escape(ans)).append('"');
        }
        out.append(' ').append(p).append(':').append(aLocal);
      }
      out.append("=\"").append(escape(a.getValue())).append('"');
    }
    if (e.getFirstChild() == null) {
      out.append("/>");
      return;
    }
    out.append('>');
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) writeNode(out, n, ns);
    out.append("</").append(local).append('>');
  }
}
