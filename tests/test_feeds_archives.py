"""RSS and WARC inputs, made by the test itself."""

from __future__ import annotations

from pathlib import Path

from builders import write_warc
from newsbrief.briefing import read_articles

BODY = "The old bridge over the river will close for repairs next month, the city said on Tuesday, after engineers found cracks."


def _warc(path: Path) -> None:
    page = (
        "<html><head><title>Council approves plan</title></head><body><nav>Home | News</nav><article>"
        + "".join(
            f"<p>Paragraph {i} says the city council voted on Tuesday to approve the housing plan.</p>"
            for i in range(5)
        )
        + "</article></body></html>"
    )
    write_warc(path, "https://www.bbc.co.uk/news/2021/03/04/council", page)


def test_feeds_rss_and_warc(tmp_path: Path) -> None:
    _warc(tmp_path / "crawl.warc.gz")
    (tmp_path / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Example</title>'
        "<item><title>Bridge closes</title><link>https://example.com/b</link>"
        f"<pubDate>Tue, 02 Mar 2021 10:00:00 GMT</pubDate><description>&lt;p&gt;{BODY}&lt;/p&gt;</description></item>"
        "<item><title>Link only</title><link>https://example.com/c</link></item>"
        "</channel></rss>"
    )
    articles, diagnostics = read_articles([tmp_path])
    by_outlet = {a.outlet: a for a in articles}
    assert set(by_outlet) == {"BBC", "Daily Example"}
    assert "Paragraph 4 says" in by_outlet["BBC"].text and "Home" not in by_outlet["BBC"].text
    rss = by_outlet["Daily Example"]
    assert rss.text == BODY and rss.title == "Bridge closes"
    assert rss.published is not None and rss.published.date == "2021-03-02"
    assert [d.code for d in diagnostics if d.code.startswith("E-")] == ["E-EMPTY"]  # the link-only entry
