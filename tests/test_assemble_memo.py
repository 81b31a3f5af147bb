"""The assembler's per-document memo is a speed-up only: a remembered answer is the one
computed again, for the text it was computed on, in the thread that computed it."""

import threading

from harmledger.pipeline.assemble.focus import _word_count
from harmledger.pipeline.assemble.memo import TextMemo


def test_memo_remembers_per_text_and_forgets_for_another() -> None:
    memo: TextMemo[int] = TextMemo()
    calls: list[str] = []

    def count(text: str) -> int:
        calls.append(text)
        return len(text)

    one, two = "one report", "another report"
    assert memo.get(one, "k", lambda: count(one)) == 10
    assert memo.get(one, "k", lambda: count(one)) == 10
    assert calls == [one]
    assert memo.get(two, "k", lambda: count(two)) == 14
    assert memo.get(one, "k", lambda: count(one)) == 10
    assert calls == [one, two, one]


def test_memo_keeps_threads_apart() -> None:
    memo: TextMemo[str] = TextMemo()
    memo.get("main thread's text", "k", lambda: "main")
    seen: list[str] = []
    t = threading.Thread(target=lambda: seen.append(memo.get("other", "k", lambda: "other")))
    t.start()
    t.join()
    assert seen == ["other"]
    assert memo.get("main thread's text", "k", lambda: "recomputed") == "main"


def test_word_count_counts_whole_words_as_a_word_boundary_does() -> None:
    text = "Police said Ahmed Ali, a driver; Ahmed's brother saw AhmedX and _Ahmed and Ahmed"
    assert _word_count("Ahmed", text, 5) == 3  # not "AhmedX" nor "_Ahmed"
    assert _word_count("Ahmed", text, 2) == 2  # counted up to enough
    assert _word_count("police", text, 1) == 0  # case-sensitive
    assert _word_count("Ali", "Ali", 1) == 1
    assert _word_count("Ali", "Aliyev and Alié", 2) == 0  # é is a word character
