"""Audio and video in lessons: a media/ image of a recording becomes a player with its transcript."""
from __future__ import annotations

from learnhub.markdown import render_markdown


def test_an_audio_image_becomes_a_player_with_its_transcript() -> None:
    html = render_markdown("![Bài nói](media/bai-noi.mp3)\n",
                           transcripts={"bai-noi.txt": "Xin chào <b>bà con</b>.\n\nĐoạn hai."})
    assert '<audio controls preload="none" aria-label="Bài nói">' in html
    assert '<source src="media/bai-noi.mp3" type="audio/mpeg">' in html
    assert "<figcaption>Bài nói</figcaption>" in html
    assert "<details class=\"lh-transcript\"><summary>" in html
    assert "<p>Xin chào &lt;b&gt;bà con&lt;/b&gt;.</p><p>Đoạn hai.</p>" in html  # escaped, never markup
    assert "<p><figure" not in html  # the paragraph around the image is replaced, not left invalid


def test_video_and_every_kind_get_their_type() -> None:
    for name, tag, kind in [("v.mp4", "video", "video/mp4"), ("v.webm", "video", "video/webm"),
                            ("a.m4a", "audio", "audio/mp4"), ("a.ogg", "audio", "audio/ogg")]:
        html = render_markdown(f"![x](media/{name})", transcripts={})
        assert f"<{tag} controls" in html and f'type="{kind}"' in html


def test_a_missing_transcript_is_said_and_images_stay_images() -> None:
    html = render_markdown("![x](media/a.mp3)\n\n![Sơ đồ](media/so-do.png)")
    assert "lh-note" in html and "<audio" in html
    assert '<img alt="Sơ đồ" src="media/so-do.png">' in html


def test_authors_cannot_write_players_themselves() -> None:
    html = render_markdown('<audio src="http://evil.example/x.mp3" autoplay controls></audio>\n\n'
                           '<video><source src="http://evil.example/x.mp4"></video>\n\n'
                           '![x](http://evil.example/a.mp3)\n\n<img src="javascript:alert(1)//a.mp3">')
    assert "<audio" not in html and "<video" not in html and "<source" not in html
    assert "evil.example/x" not in html
