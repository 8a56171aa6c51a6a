#!/usr/bin/env python3
"""Draws the Switchboard icon and writes it in the formats jpackage wants.

Standard library only (zlib + struct); the output is committed, so the build does not run this.
Re-run after changing the drawing:  python3 installer/src/icon/make_icons.py

The picture: a blue rounded square with a 3 x 3 grid of jacks (a telephone switchboard), one
orange patch cord routing a ticket from the top-left jack to the bottom-right one.

Writes (paths relative to installer/src/jpackage/):
  linux/Switchboard.png      256 x 256 PNG (app-image launcher icon and .desktop icon)
  windows/Switchboard.ico    ICO with PNG-compressed 16, 32, 48, 256 images
  macos/Switchboard.icns     ICNS with PNG-compressed 128, 256, 512 images (ic07, ic08, ic09)
"""
import math
import os
import struct
import zlib

BLUE = (31, 95, 191)
BLUE_DARK = (22, 68, 140)
WHITE = (245, 247, 250)
ORANGE = (255, 149, 0)
SS = 3  # supersampling per axis


def rounded_rect_inside(x, y, x0, y0, x1, y1, r):
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    qx, qy = ax + t * dx, ay + t * dy
    return math.hypot(px - qx, py - qy)


def jack_centres():
    return [(0.28 + 0.22 * i, 0.28 + 0.22 * j) for j in range(3) for i in range(3)]


def cord_points():
    # a sagging cord from jack (0,0) to jack (2,2), as a polyline of a quadratic Bezier
    (ax, ay), (bx, by) = (0.28, 0.28), (0.72, 0.72)
    cx, cy = 0.20, 0.86
    pts = []
    for k in range(41):
        t = k / 40
        pts.append(((1 - t) ** 2 * ax + 2 * (1 - t) * t * cx + t * t * bx,
                    (1 - t) ** 2 * ay + 2 * (1 - t) * t * cy + t * t * by))
    return pts


CORD = cord_points()
JACKS = jack_centres()


def colour_at(u, v):
    """Colour (r, g, b, a) of the unit-square point (u, v)."""
    if not rounded_rect_inside(u, v, 0.04, 0.04, 0.96, 0.96, 0.18):
        return (0, 0, 0, 0)
    # background: subtle vertical shade
    t = v
    base = tuple(round(BLUE[i] * (1 - t) + BLUE_DARK[i] * t) for i in range(3))
    col = base
    for (jx, jy) in JACKS:
        d = math.hypot(u - jx, v - jy)
        if d <= 0.075:
            col = WHITE if d > 0.040 else BLUE_DARK
    if min(seg_dist(u, v, *CORD[k], *CORD[k + 1]) for k in range(len(CORD) - 1)) <= 0.032:
        col = ORANGE
    for (jx, jy) in (JACKS[0], JACKS[8]):  # plugged jacks
        if math.hypot(u - jx, v - jy) <= 0.045:
            col = ORANGE
    return col + (255,)


def render(size):
    rows = []
    n = SS * SS
    for y in range(size):
        row = bytearray()
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SS):
                for sx in range(SS):
                    r, g, b, a = colour_at((x + (sx + 0.5) / SS) / size, (y + (sy + 0.5) / SS) / size)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            a = acc[3]
            if a == 0:
                row += bytes(4)
            else:
                row += bytes((round(acc[0] / a), round(acc[1] / a), round(acc[2] / a), round(a / n)))
        rows.append(bytes(row))
    return rows


def png(rows):
    size = len(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def ico(pngs):
    out = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    body = b""
    for size, data in pngs:
        dim = 0 if size >= 256 else size
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(body))
        body += data
    return out + body


def icns(entries):
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in entries)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "jpackage")
    images = {s: png(render(s)) for s in (16, 32, 48, 128, 256, 512)}
    for sub in ("linux", "windows", "macos"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    with open(os.path.join(out, "linux", "Switchboard.png"), "wb") as f:
        f.write(images[256])
    with open(os.path.join(out, "windows", "Switchboard.ico"), "wb") as f:
        f.write(ico([(s, images[s]) for s in (16, 32, 48, 256)]))
    with open(os.path.join(out, "macos", "Switchboard.icns"), "wb") as f:
        f.write(icns([(b"ic07", images[128]), (b"ic08", images[256]), (b"ic09", images[512])]))


if __name__ == "__main__":
    main()
