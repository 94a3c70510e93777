"""Simple generated badge images for demonstration data.

The national badges' own artwork belongs to the Finnish National Agency for
Education, so demo badges get a plain generated emblem instead.
"""
from xml.sax.saxutils import escape


def emblem_svg(initials: str, colour: str) -> bytes:
    """Return a round SVG emblem with up to three initials on a coloured disc."""
    text = escape(initials[:3].upper())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        f'<circle cx="128" cy="128" r="120" fill="{colour}"/>'
        '<circle cx="128" cy="128" r="100" fill="none" stroke="#ffffff" stroke-width="6"/>'
        '<text x="128" y="150" font-family="DejaVu Sans, Arial, sans-serif" font-size="64" '
        f'font-weight="700" text-anchor="middle" fill="#ffffff">{text}</text>'
        "</svg>"
    )
    return svg.encode("utf-8")
