"""What ODK Collect does, for the tests: fill a downloaded form's instance and send it in
the multipart envelope of the OpenRosa Form Submission API, byte for byte."""

import uuid
from xml.etree import ElementTree

from defusedxml import ElementTree as defused

XF = "{http://www.w3.org/2002/xforms}"
BOUNDARY = "1f0d3c8e-5b7a-4c2e-9a11-3f6e2b9d4c70"
# The smallest JPEG header the attachment check accepts, then filler bytes.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"


def blank_instance(form_xml: bytes | str) -> ElementTree.Element:
    """The primary instance of a form (the first child of the first ``<instance>``)."""
    root = defused.fromstring(form_xml)
    instance = next(root.iter(f"{XF}instance"))
    return next(iter(instance))


def fill(form_xml: bytes | str, values: dict[str, str], photos=(), instance_id=None) -> bytes:
    """An instance as Collect writes it: every question of the form, in order, empty where
    not answered; groups kept; the photo repeat with one entry per photo."""
    data = blank_instance(form_xml)
    for element in list(data.iter()):
        name = element.tag.removeprefix(XF)
        if name in values:
            element.text = values[name]
    repeats = [e for e in data if e.tag == f"{XF}photos"]
    for repeat in repeats:
        data.remove(repeat)
    meta = data.find(f"{XF}meta")
    assert meta is not None
    position = list(data).index(meta)
    for offset, photo in enumerate(photos):
        repeat = ElementTree.Element(f"{XF}photos")
        ElementTree.SubElement(repeat, f"{XF}photo").text = photo
        data.insert(position + offset, repeat)
    instance_element = meta.find(f"{XF}instanceID")
    assert instance_element is not None
    instance_element.text = instance_id or f"uuid:{uuid.uuid4()}"
    for element in data.iter():
        element.tag = element.tag.removeprefix(XF)
        element.attrib.pop("{http://openrosa.org/javarosa}template", None)
    return b"<?xml version='1.0' ?>" + ElementTree.tostring(data, encoding="unicode").encode()


def multipart(
    xml: bytes, files: dict[str, tuple[str, bytes]] | None = None, name="instance.xml"
) -> bytes:
    """The POST body as Collect's HTTP client (OkHttp) writes it: each part with its
    Content-Disposition, Content-Type and Content-Length, CRLF line ends."""
    parts = [(("xml_submission_file", name), "text/xml", xml)]
    for filename, (content_type, content) in (files or {}).items():
        parts.append(((filename, filename), content_type, content))
    body = b""
    for (field, filename), content_type, content in parts:
        body += (
            (
                f"--{BOUNDARY}\r\n"
                f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n"
                f"Content-Length: {len(content)}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    return body + f"--{BOUNDARY}--\r\n".encode()


def post(client, url: str, body: bytes, **headers):
    return client.generic(
        "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}", **headers
    )
