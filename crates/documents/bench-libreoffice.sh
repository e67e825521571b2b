#!/usr/bin/env bash
# Times LibreOffice converting the FY2566 report DOCX to PDF (what an officer does today), five
# times, to compare with `cargo bench -p prongsai-documents` (the PDF made directly).
# Usage: crates/documents/bench-libreoffice.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
command -v libreoffice >/dev/null || { echo "libreoffice is not installed (Debian: libreoffice-writer-nogui)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo run --quiet --release -p prongsai-documents --example render -- "$work/out" >/dev/null
docx="$work/out/report.docx"
profile="file://$work/profile"

# The first run creates LibreOffice's profile; it is timed apart.
start=$(date +%s%N)
libreoffice "-env:UserInstallation=$profile" --headless --norestore --convert-to pdf --outdir "$work/pdf" "$docx" >/dev/null 2>&1
first=$(( ($(date +%s%N) - start) / 1000000 ))
echo "first run (new profile): ${first} ms"

total=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  libreoffice "-env:UserInstallation=$profile" --headless --norestore --convert-to pdf --outdir "$work/pdf" "$docx" >/dev/null 2>&1
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  total=$(( total + ms ))
  echo "run $i: ${ms} ms"
done
test -s "$work/pdf/report.pdf" || { echo "LibreOffice produced no PDF" >&2; exit 1; }
echo "mean of $runs runs: $(( total / runs )) ms ($(pdfinfo "$work/pdf/report.pdf" 2>/dev/null | awk '/^Pages/ {print $2}') pages)"
