"""Images in the dark scheme: no white panel behind them, and the sample course's diagrams drawn
dark (their own prefers-color-scheme styles), measured on the pixels the learner sees in each
language; in the light scheme they stay light."""
from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browser import GuardedPage, file_url
from test_accessibility import LANGUAGES, index_of
from test_learner_support import CURRENT, in_every_page

DIAGRAMS = ["act-means-purpose", "referral-pathway", "trafficking-vs-smuggling", "visa-window"]

# The screenshot handed back to the page as a data: image (which a canvas may read) and averaged.
_LUMINANCE = """
async (png) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + png;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const data = context.getImageData(0, 0, img.width, img.height).data;
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
  return sum / (data.length / 4) / 255;
}
"""


def diagram_luminance(page: Page, name: str) -> tuple[float, str]:
    """How light a diagram looks where the course shows it (0 black, 1 white), and its panel colour."""
    page_id = in_every_page(page, f"(doc) => doc.querySelector(\"img[src*='{name}']\").closest('section.page').dataset.page")
    page.evaluate("id => { location.hash = '#/' + id; }", page_id)
    image = page.locator(f"{CURRENT}[data-page='{page_id}'] img[src*='{name}']").first
    image.evaluate("e => { e.loading = 'eager'; e.scrollIntoView(); return e.decode(); }")
    shot = base64.b64encode(image.screenshot()).decode()
    return page.evaluate(_LUMINANCE, shot), image.evaluate("e => getComputedStyle(e).backgroundColor")


@pytest.mark.parametrize("language", LANGUAGES)
def test_diagrams_follow_the_colour_scheme(
    built_course: Path, new_page: Callable[..., GuardedPage], language: str
) -> None:
    for scheme in ("dark", "light"):
        guarded = new_page(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        guarded.page.goto(file_url(index_of(built_course, language)))
        for name in DIAGRAMS:
            luminance, panel = diagram_luminance(guarded.page, name)
            if scheme == "dark":
                assert luminance < 0.3, f"{language}: {name} is a light panel on a dark page ({luminance:.2f})"
                assert panel == "rgba(0, 0, 0, 0)", f"{language}: {name} sits on a {panel} panel"
            else:
                assert luminance > 0.6, f"{language}: {name} is not light in the light scheme ({luminance:.2f})"
        guarded.guard.assert_clean()
