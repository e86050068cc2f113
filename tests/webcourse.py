"""The web course as its runtime sees it once every page has loaded: for tests that read the output.

`index.html` holds the shell and the outline; each page is `pages/<module>/<page>.js`, the glossary
and the frameworks `pages/glossary.js` and `pages/frameworks.js`. These helpers
put them back together: the HTML of index.html with every page's section after it, and the course data
with the outline expanded and every page's quiz, scenario and checks merged in, as the runtime does.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_PUSH = re.compile(r"^\(self\.coursewrightPages=self\.coursewrightPages\|\|\[\]\)\.push\((.*)\);\n$", re.S)
_DATA = re.compile(r'<script type="application/json" id="course-data">(.*?)</script>', re.S)


def page_script(path: Path) -> dict[str, Any]:
    """What one page's script hands the runtime."""
    found = _PUSH.match(path.read_text(encoding="utf-8"))
    assert found, f"{path} is not a page script"
    return json.loads(found[1])


def expanded(data: dict[str, Any], web: Path | None = None) -> dict[str, Any]:
    """The outline as `modules` and `pages`, as runtime/pages.js makes them; with `web`, the modules
    index.html gives by their number of pages only are listed from `pages/outline.js`."""
    if "outline" not in data:
        return data
    data = dict(data)
    data["modules"], data["pages"] = [], []
    rest = page_script(web / "pages" / "outline.js") if web is not None and data.get("untitled") else {}
    for index, (module_id, title, pages, *_first) in enumerate(data.pop("outline")):  # the second module's first page
        if isinstance(pages, int):
            assert rest, "a module without its pages in index.html, and no pages/outline.js read"
            pages = [[entry[0], ""] + entry[1:] for entry in rest["pages"][index]]
        ids = []
        for page in pages:
            page_id = f"{module_id}/{page[0]}"
            ids.append(page_id)
            data["pages"].append({"id": page_id, "kind": page[2] if len(page) > 2 else "lesson", "title": page[1],
                                  "module": module_id})
        data["modules"].append({"id": module_id, "title": title, "pages": ids})
    for part in ("quizzes", "scenarios", "checks"):
        data[part] = {**data.get(part, {}), **rest.get(part, {})}
    data["quizzes"] = {page: {**quiz, "questions": [{"key": f"{page}/{q['id']}", **q} for q in quiz["questions"]]}
                       for page, quiz in data["quizzes"].items()}
    return data


def chunks(web: Path, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page's script, in reading order."""
    return [page_script(web / "pages" / f"{page['id']}.js") for page in data["pages"]]


def course_data(web: Path) -> dict[str, Any]:
    """The course data with every page loaded."""
    html = (web / "index.html").read_text(encoding="utf-8")
    data = expanded(json.loads(_DATA.search(html)[1]), web)
    if not data.get("partial"):
        return data
    data = {**data, "quizzes": dict(data["quizzes"]), "scenarios": dict(data["scenarios"]),
            "checks": dict(data["checks"])}
    del data["partial"]
    data.pop("apart", None)  # the glossary and the frameworks, loaded too
    if data.pop("untitled", False):  # titles beyond the first module: pages/outline.js
        titles = [t for module in page_script(web / "pages" / "outline.js")["titles"] for t in module]
        data["pages"] = [{**page, "title": title} for page, title in zip(data["pages"], titles)]
    for chunk in chunks(web, data):
        if "quiz" in chunk:
            data["quizzes"][chunk["id"]] = chunk["quiz"]
        if "scenario" in chunk:
            data["scenarios"][chunk["id"]] = chunk["scenario"]
        data["checks"].update(chunk.get("checks", {}))
    return data


_REFERENCE = re.compile(r'<section class="page page--(?:glossary|frameworks|end)"')


def reference_html(web: Path, page: str) -> str:
    """The section of the glossary or the frameworks: from `pages/<page>.js` when index.html leaves it
    out (the paged course), else from index.html."""
    script = web / "pages" / f"{page}.js"
    if script.is_file():
        return page_script(script)["html"]
    html = (web / "index.html").read_text(encoding="utf-8")
    found = re.search(rf'<section class="page page--{page}".*?\n</section>', html, re.S)
    assert found, f"no {page} in {web / 'index.html'}"
    return found[0]


def whole_html(web: Path) -> str:
    """index.html with every page's section in its main, then the glossary and the frameworks, before
    the end screen, where the runtime puts them."""
    html = (web / "index.html").read_text(encoding="utf-8")
    data = expanded(json.loads(_DATA.search(html)[1]), web)
    if not data.get("partial"):
        return html
    at = _REFERENCE.search(html).start()
    references = "".join(reference_html(web, page) for page in data.get("apart", []))
    return html[:at] + "".join(chunk["html"] for chunk in chunks(web, data)) + references + html[at:]
