package io.recon.data;

import io.recon.imaging.ImageFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Parses Apple XML property lists into plain Java values: dict to {@code Map<String,Object>}, array
 * to {@code List<Object>}, string/date to String, integer to Long, real to Double, true/false to
 * Boolean, data to byte[].
 */
final class Plist {

    private Plist() {
    }

    static Object parse(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // plists declare an external DTD (apple.com); never fetch it or any external entity.
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e; // reported through our exception, not printed to stderr
                }
            });
            Element root = b.parse(new ByteArrayInputStream(xml)).getDocumentElement();
            if (!root.getTagName().equals("plist")) {
                throw ImageFormatException.corrupt("XML root is <" + root.getTagName() + ">, expected <plist>");
            }
            Element first = firstElement(root);
            if (first == null) {
                throw ImageFormatException.corrupt("<plist> is empty");
            }
            return value(first);
        } catch (SAXException e) {
            throw new ImageFormatException(ImageFormatException.CORRUPT, "plist is not well-formed XML: "
                    + e.getMessage(), e);
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException("XML parser setup failed", e);
        }
    }

    private static Object value(Element e) {
        String text = e.getTextContent().trim();
        switch (e.getTagName()) {
            case "dict" -> {
                Map<String, Object> map = new LinkedHashMap<>();
                String key = null;
                for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (!(n instanceof Element child)) {
                        continue;
                    }
                    if (child.getTagName().equals("key")) {
                        key = child.getTextContent();
                    } else {
                        if (key == null) {
                            throw ImageFormatException.corrupt("plist <dict> has a value without a <key>");
                        }
                        map.put(key, value(child));
                        key = null;
                    }
                }
                return map;
            }
            case "array" -> {
                List<Object> list = new ArrayList<>();
                for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element child) {
                        list.add(value(child));
                    }
                }
                return list;
            }
            case "string", "date" -> {
                return e.getTextContent();
            }
            case "integer" -> {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException ex) {
                    throw ImageFormatException.corrupt("plist <integer> is '" + text + "'");
                }
            }
            case "real" -> {
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException ex) {
                    throw ImageFormatException.corrupt("plist <real> is '" + text + "'");
                }
            }
            case "true" -> {
                return Boolean.TRUE;
            }
            case "false" -> {
                return Boolean.FALSE;
            }
            case "data" -> {
                return Base64.getMimeDecoder().decode(text);
            }
            default -> throw ImageFormatException.corrupt("unknown plist element <" + e.getTagName() + ">");
        }
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                return el;
            }
        }
        return null;
    }
}
