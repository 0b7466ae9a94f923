from datetime import UTC, datetime

import pytest

from profilelens.features import content, text
from profilelens.records import Account, Post

NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sample", "number", "quotation", "question"),
    [
        ("Revenue grew 12% this year", True, False, False),
        ("See https://t.co/abc123 and @user42 #web3", False, False, False),
        ("Il a dit « bonjour à tous » hier", False, True, False),
        ('She said "ship it" today', False, True, False),
        ("“Less is more” — who agrees?", False, True, True),
        ("What do you think ?", False, False, True),
        ("Link with a question mark https://example.com/?q=1", False, False, False),
    ],
)
def test_text_traits(sample: str, number: bool, quotation: bool, question: bool) -> None:
    assert text.has_number(sample) is number
    assert text.has_quotation(sample) is quotation
    assert text.has_question(sample) is question


def test_kind_and_trait_shares() -> None:
    posts = [
        Post(
            id="1", kind="original", text="Launch day: 3 new features", media=("photo",), hashtags=("launch",)
        ),
        Post(id="2", kind="retweet", text="great read", urls=("https://example.com",), retweeted_handle="a"),
        Post(id="3", kind="reply", text="@bob did you try it?", mentions=("bob",)),
        Post(id="4", kind="quote", text="This.", media=("video",)),
    ]
    f = content.content_features(Account(), posts, NOW)
    assert [f[f"kind_{k}"] for k in content.KINDS] == [0.25, 0.25, 0.25, 0.25]
    assert f["trait_photo"] == 0.25 and f["trait_video"] == 0.25 and f["trait_gif"] == 0
    assert f["trait_link"] == 0.25 and f["trait_hashtag"] == 0.25 and f["trait_mention"] == 0.25
    assert f["trait_number"] == 0.25 and f["trait_question"] == 0.25


def test_retweet_appeal_multiplies_the_study_lifts_over_own_posts() -> None:
    posts = [
        Post(id="1", text="Up 17% in Q3", media=("photo",)),  # photo and number: 1.35 * 1.17
        Post(id="2", text="plain words"),  # 1.0
        Post(id="3", kind="retweet", media=("video",)),  # a retweet is not the account's own post
    ]
    f = content.content_features(Account(), posts, NOW)
    assert f["retweet_appeal"] == pytest.approx((1.35 * 1.17 + 1.0) / 2)


def test_no_posts_no_features() -> None:
    assert content.content_features(Account(), [], NOW) == {}


def test_a_quoted_posts_permalink_is_not_a_link_out() -> None:
    quote = Post(id="1", kind="quote", urls=("https://twitter.com/someone/status/1234567890",))
    also_x = Post(id="2", kind="quote", urls=("https://x.com/someone/status/99",))
    article = Post(id="3", kind="quote", urls=("https://x.com/someone/status/99", "https://example.org/a"))
    f = content.content_features(Account(), [quote, also_x, article], NOW)
    assert f["trait_link"] == pytest.approx(1 / 3)
    assert text.links_out(("https://example.org/a",)) and not text.links_out(())
