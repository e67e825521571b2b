"""Flatten the vertical component of Sarabun's mark attachment (GPOS mark/mkmk anchors).

typst 0.15 splits a line's glyphs into separate text items wherever a glyph has a vertical
offset, and each piece carries the whole cluster's text, so a PDF made with the stock Sarabun
copies "ทั้ง" as "ทั้ทั้ง". With every anchor's Y set to 0, marks sit where their outlines are
drawn (the GSUB-chosen variants already carry the right height) and no glyph gets a vertical
offset; tone marks over ั ิ ึ move by at most 0.05 em from the designer's fine adjustment.
"""
import sys
from fontTools.ttLib import TTFont

def anchors_of(st):
    t = type(st).__name__
    if t == 'MarkBasePos':
        for r in st.MarkArray.MarkRecord: yield r.MarkAnchor
        for r in st.BaseArray.BaseRecord:
            for a in r.BaseAnchor: yield a
    elif t == 'MarkMarkPos':
        for r in st.Mark1Array.MarkRecord: yield r.MarkAnchor
        for r in st.Mark2Array.Mark2Record:
            for a in r.Mark2Anchor: yield a
    elif t == 'MarkLigPos':
        for r in st.MarkArray.MarkRecord: yield r.MarkAnchor
        for lig in st.LigatureArray.LigatureAttach:
            for comp in lig.ComponentRecord:
                for a in comp.LigatureAnchor: yield a

for path in sys.argv[1:]:
    font = TTFont(path, recalcTimestamp=False)
    n = 0
    for lookup in font['GPOS'].table.LookupList.Lookup:
        subtables = lookup.SubTable
        if lookup.LookupType == 9:
            subtables = [s.ExtSubTable for s in subtables]
        for st in subtables:
            for a in anchors_of(st):
                if a is None: continue
                a.YCoordinate = 0
                if a.Format != 1:
                    a.Format = 1
                    for attr in ('AnchorPoint', 'XDeviceTable', 'YDeviceTable'):
                        if hasattr(a, attr): delattr(a, attr)
                n += 1
    font.save(path)
    print(path, 'anchors flattened:', n)
