"""The pictures of the offline 使用说明 (resources/help/img/), made smaller from the screenshots
``make screenshots`` writes to docs/screenshots/: run this after retaking them."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PICTURES = {  # help picture ← screenshot
    "text.png": "tab-1-section-1.png",
    "table.png": "tab-5a-table-budget.png",
    "indicators.png": "tab-5c-table-indicators.png",
    "signoff.png": "tab-6-signoff.png",
    "printed.png": "pdf-page1.png",
}
WIDTH = 640


def main() -> int:
    out = ROOT / "resources" / "help" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for name, source in PICTURES.items():
        with Image.open(ROOT / "docs" / "screenshots" / source) as im:
            im = im.convert("RGB")
            height = round(im.height * WIDTH / im.width)
            small = im.resize((WIDTH, height), Image.Resampling.LANCZOS)
            small.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out / name, optimize=True)
        print(out.relative_to(ROOT) / name, (out / name).stat().st_size // 1024, "KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
