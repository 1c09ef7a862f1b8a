package org.ecpds.portal.webdav;

/** A property's qualified name; the empty namespace is "". */
record PropertyName(String namespace, String local) {

  static PropertyName of(org.w3c.dom.Element e) {
    return new PropertyName(e.getNamespaceURI() == null ? "" : e.getNamespaceURI(), e.getLocalName());
  }

  boolean isDav() {
    return SafeXml.DAV.equals(namespace);
  }

  /** An empty element naming the property, declaring its namespace ({@code D:} is bound to DAV: in replies). */
  String emptyElement() {
    if (isDav()) return "<D:" + local + "/>";
    return "<" + local + " xmlns=\"" + SafeXml.escape(namespace) + "\"/>";
  }
}
