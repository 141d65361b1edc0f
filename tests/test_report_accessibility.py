"""The HTML report (and so the PDF made from it) is readable by everyone: WCAG 2.1 A/AA.

Two kinds of check. The pure ones always run: every text colour pair has 4.5:1 contrast and
every graphic 3:1, no colour stands alone, each figure has a text alternative, the timeline's
label boxes never collide, and the tables reflow on a phone. The axe-core one runs the real
checker in headless Chromium at phone width; it needs Chromium and axe-core (``.ci/run``
installs both) and is skipped with the reason when either is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hecht_tracker.core.model import Health, Status
from hecht_tracker.render.report import build_weekly
from hecht_tracker.render.report.html import (
    BENEFIT_STYLES,
    GRAPHIC_PAIRS,
    HEALTH_STYLES,
    PAPER,
    TEXT_PAIRS,
    LabelBox,
    place_labels,
    render_html,
)
from hecht_tracker.render.report.model import TimelinePoint
from hecht_tracker.services.report import weekly_report as render_weekly
from hecht_tracker.storage.snapshot import read_weekly_snapshot
from hecht_tracker.storage.store import Store
from tests.conftest import TODAY, FixedClock

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# --- contrast -----------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_known_values() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    # axe-core cuts to two decimals: the old footer and the old "risico" pill.
    assert int(contrast("#78828f", "#ffffff") * 100) == 389
    assert int(contrast("#ffffff", "#e08e0b") * 100) == 261


@pytest.mark.parametrize(("fg", "bg", "where"), TEXT_PAIRS)
def test_every_text_colour_has_at_least_4_5_to_1_on_its_background(
    fg: str, bg: str, where: str
) -> None:
    assert contrast(fg, bg) >= 4.5, where


@pytest.mark.parametrize(("fg", "bg", "where"), GRAPHIC_PAIRS)
def test_every_graphic_a_reader_needs_has_at_least_3_to_1(fg: str, bg: str, where: str) -> None:
    assert contrast(fg, bg) >= 3.0, where


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("a11y") / "hecht.sqlite"
    with Store.open(path, clock=FixedClock()) as store:
        store.today_override = TODAY
        # A health of each kind, so every style is on the page.
        store.update("goal", 1, {"health": Health.ON_TRACK})
        store.update("goal", 2, {"health": Health.AT_RISK})
        store.update("goal", 3, {"health": Health.OFF_TRACK})
        store.update("milestone", 4, {"health": Health.ON_TRACK, "status": Status.DONE})
        store.update("milestone", 5, {"health": Health.AT_RISK})
        store.update("milestone", 6, {"health": Health.OFF_TRACK})
        return render_weekly(store, TODAY, TODAY, "html").decode()


def test_every_colour_used_on_the_page_is_one_of_the_checked_pairs(page: str) -> None:
    text_colours = {fg for fg, _, _ in TEXT_PAIRS}
    graphic_colours = {fg for fg, _, _ in GRAPHIC_PAIRS} | {PAPER}
    css = page[page.index("<style>") : page.index("</style>")]
    for colour in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", css):
        assert colour in text_colours, colour
    for attrs in re.findall(r"<text ([^>]*)>", page):
        fill = re.search(r'fill="([^"]+)"', attrs)
        assert fill is not None, attrs
        background = re.search(r'data-bg="([^"]+)"', attrs)
        pair = (fill.group(1), background.group(1) if background else PAPER)
        assert contrast(*pair) >= 4.5, attrs
    for shape in re.findall(r"<(?:circle|polygon|rect|line) ([^>]*)>", page):
        for colour in re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{3,6})"', shape):
            if 'data-colour="' in shape or "stroke-dasharray" in shape:
                continue  # a pattern's own colour, or a leader: the label carries the meaning
            assert colour in graphic_colours or contrast(colour, PAPER) >= 3.0, shape


# --- colour never alone ---------------------------------------------------------------------------


def test_each_health_has_its_own_symbol_shape_and_greyscale(page: str) -> None:
    styles = list(HEALTH_STYLES.values())
    assert len({s.symbol for s in styles}) == len(styles)
    assert len({s.shape for s in styles}) == len(styles)
    # op koers and uit koers once looked the same in greyscale: their pills now differ in fill.
    fills = [_luminance(s.pill_bg) for s in styles[:3]]
    assert min(abs(a - b) for i, a in enumerate(fills) for b in fills[i + 1 :]) > 0.2
    for health in Health:
        style = HEALTH_STYLES[health]
        pill = f'<span class="pill h-{health.value}"><span aria-hidden="true">{style.symbol}</span> {health.label}</span>'
        assert pill in page


def test_flagged_rows_carry_a_sign_and_words_not_only_a_background(page: str) -> None:
    rows = re.findall(r'<tr class="flag">(.*?)</tr>', page)
    assert rows
    for row in rows:
        assert (
            '<span class="mark" aria-hidden="true">⚠ </span><span class="sr">Let op: </span>' in row
        )


def test_the_next_step_of_the_route_is_emphasised_not_flagged(page: str) -> None:
    """A next step is no warning: bold, its own word and a bar in the brand colour, no ⚠."""
    route = re.search(r"<caption>Route van dit besluit</caption>.*?</table>", page, flags=re.S)
    assert route is not None
    rows = re.findall(r"<tr( class=\"[^\"]*\")?>(.*?)</tr>", route.group(0))
    nexts = [row for cls, row in rows if "next" in cls]
    assert len(nexts) == 1
    assert "(volgend)" in nexts[0]
    # On 23 November the DB of 26 November is next; its papers are late, a real warning, so
    # that row is both; a row that is only next carries no warning sign.
    for cls, row in rows:
        assert ("⚠" in row) == ("flag" in cls)
    css = page[page.index("<style>") : page.index("</style>")]
    assert "tr.next td { font-weight: 700; }" in css


def test_a_next_step_without_a_warning_carries_no_warning_sign(store: Store) -> None:
    store.update("milestone", 6, {"documents_sent": dt.date(2026, 11, 19)})  # on time
    for done in (4, 5):  # DB 15 Oct and AB 4 Nov: no longer stale
        store.update("milestone", done, {"status": Status.DONE})
    page = render_html(build_weekly(read_weekly_snapshot(store, TODAY, TODAY), TODAY))
    route = re.search(r"<caption>Route van dit besluit</caption>.*?</table>", page, flags=re.S)
    assert route is not None
    assert '<tr class="next">' in route.group(0)
    assert "⚠" not in route.group(0) and 'class="flag' not in route.group(0)


def test_each_benefit_status_has_its_own_fill_besides_its_colour() -> None:
    assert len({s.pattern for s in BENEFIT_STYLES}) == len(BENEFIT_STYLES)


# --- text alternatives ----------------------------------------------------------------------------


class _Svgs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict[str, str]] = []
        self.ids: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "svg" and values.get("role") == "img":
            self.figures.append(values)
        if tag in ("title", "desc") and "id" in values:
            self._open = values["id"]
            self.ids[self._open] = ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.ids[self._open] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "desc"):
            self._open = None


def test_each_figure_has_a_name_and_a_description_with_its_facts(page: str) -> None:
    parser = _Svgs()
    parser.feed(page)
    assert len(parser.figures) == 2
    texts = []
    for figure in parser.figures:
        title_id, desc_id = figure["aria-labelledby"].split()
        assert parser.ids[title_id] and parser.ids[desc_id]
        texts.append(parser.ids[desc_id])
    timeline, benefits = texts
    assert "DB do 26 nov 2026: gepland, uit koers, bestuursmoment" in timeline
    assert "DB do 15 okt 2026: afgerond, op koers" in timeline
    assert "vandaag is 23 nov 2026" in timeline
    assert re.search(r"digitaal: \d+ \w+", benefits)


# --- the timeline's labels ----------------------------------------------------------------------


def _boxes(svg: str) -> tuple[list[LabelBox], list[tuple[float, float, float]]]:
    boxes = []
    for x, y, length in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" font-size="10" textLength="([\d.]+)"', svg
    ):
        bottom = float(y) + 2
        boxes.append(
            LabelBox(float(x), float(x) + float(length), bottom - 12, bottom, float(x) - 3, 0)
        )
    leaders = [
        (float(x), float(y1), float(y2))
        for x, y1, y2 in re.findall(
            r'<line x1="([\d.]+)" y1="([\d.]+)" x2="\1" y2="([\d.]+)" stroke="[^"]+" '
            r'stroke-width="1" stroke-dasharray="2 2"',
            svg,
        )
    ]
    return boxes, leaders


def _assert_clear(boxes: list[LabelBox], leaders: list[tuple[float, float, float]]) -> None:
    for i, box in enumerate(boxes):
        for other in boxes[i + 1 :]:
            assert not box.overlaps(other), (box, other)
        for x, top, bottom in leaders:
            if abs(x - box.leader_x) < 0.01:
                continue  # its own leader, which ends beside it
            assert not box.crossed_by(x, top, bottom), (box, x)


def test_the_timeline_labels_of_the_seed_never_overlap_nor_cross_a_leader(page: str) -> None:
    svg = page[page.index("<svg") : page.index("</svg>")]
    boxes, leaders = _boxes(svg)
    # The seed's public milestones from June to January: the board's version is the default.
    assert len(boxes) == len(leaders) == 6
    _assert_clear(boxes, leaders)


def test_crowded_timelines_keep_every_label_clear(store: Store) -> None:
    report = build_weekly(read_weekly_snapshot(store, TODAY, TODAY), TODAY)
    crowded = tuple(
        TimelinePoint(
            date=dt.date(2026, 11, 1) + dt.timedelta(days=day % 9),
            label=f"DB {'x' * (day % 5)} {day}",
            health=None,
            status=Status.PLANNED,
            board=day % 2 == 0,
        )
        for day in range(14)
    )
    from dataclasses import replace

    svg = render_html(replace(report, timeline=crowded))
    boxes, leaders = _boxes(svg[svg.index("<svg") : svg.index("</svg>")])
    assert len(boxes) == 14
    _assert_clear(boxes, leaders)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 700, allow_nan=False), st.floats(20, 160, allow_nan=False)),
        max_size=25,
    )
)
def test_placed_labels_never_collide(points: list[tuple[float, float]]) -> None:
    boxes = place_labels(points, axis=40)
    leaders = [(b.leader_x, b.leader_top, b.bottom) for b in boxes]
    _assert_clear(boxes, leaders)


# --- reflow -----------------------------------------------------------------------------------------


def test_tables_reflow_on_a_phone_with_each_cell_named(page: str) -> None:
    assert "@media screen and (max-width: 40em)" in page
    assert 'td::before {{ content: attr(data-label) ": "'.replace("{{", "{") in page
    cells = re.findall(r"<td[^>]*>", page)
    assert cells and all("data-label=" in cell for cell in cells)


# --- axe-core in headless Chromium --------------------------------------------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _axe() -> Path | None:
    """axe-core's script: from $AXE_CORE_JS, the cache .ci/run fills, or npm into that cache."""
    if os.environ.get("AXE_CORE_JS"):
        return Path(os.environ["AXE_CORE_JS"])
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hecht-tracker" / "axe"
    script = cache / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists() and shutil.which("npm"):
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--silent", "--prefix", str(cache), "axe-core@4"],
            capture_output=True,
            timeout=180,
            check=False,
        )
    return script if script.exists() else None


_RUNNER = """<script src="{axe}"></script>
<script>
axe.run(document, {{runOnly: {{type: "tag", values: {tags}}}}}).then(function (result) {{
  var out = document.createElement("pre");
  out.id = "axe-result";
  out.textContent = JSON.stringify(result.violations.map(function (v) {{
    return {{id: v.id, help: v.help, nodes: v.nodes.map(function (n) {{
      return n.target.join(" ") + ": " + n.failureSummary; }})}};
  }}));
  document.body.appendChild(out);
}});
</script>"""


def axe_violations(html: str, folder: Path, width: int) -> list[dict[str, object]]:
    chromium, axe = _chromium(), _axe()
    if chromium is None:
        pytest.skip("geen Chromium gevonden (apt-get install chromium); .ci/run installeert het")
    if axe is None:
        pytest.skip("axe-core niet gevonden en niet te installeren met npm")
    runner = _RUNNER.format(axe=axe.as_uri(), tags=json.dumps(WCAG_TAGS))
    target = folder / f"axe-{width}.html"
    target.write_text(html.replace("</body>", runner + "</body>"), encoding="utf-8")
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--allow-file-access-from-files",
            f"--window-size={width},900",
            "--virtual-time-budget=30000",
            "--dump-dom",
            target.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', result.stdout, flags=re.S)
    assert found is not None, result.stderr[-2000:]
    from html import unescape

    violations: list[dict[str, object]] = json.loads(unescape(found.group(1)))
    return violations


@pytest.mark.parametrize("width", [375, 1024])
def test_axe_core_finds_no_wcag_2_1_violation(page: str, tmp_path: Path, width: int) -> None:
    assert axe_violations(page, tmp_path, width) == []


def test_axe_core_does_find_the_old_footer_contrast(tmp_path: Path) -> None:
    """The check can fail: the pale footer of old gives a contrast violation."""
    old = (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><main><p>Rapport</p></main><footer style="color:#78828f">voet</footer></body></html>'
    )
    assert [v["id"] for v in axe_violations(old, tmp_path, 1024)] == ["color-contrast"]
