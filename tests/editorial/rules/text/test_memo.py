"""The per-sentence caches are bounded and can be emptied."""

from editorial.rules.text.memo import clear_caches, memoized


def test_a_memoized_reading_is_reused_until_the_caches_are_cleared():
    calls = []

    @memoized(maxsize=2)
    def read(text):
        calls.append(text)
        return len(text)

    assert [read("a"), read("a"), read("bb")] == [1, 1, 2]
    assert calls == ["a", "bb"]
    read("ccc")  # the cache holds two: "a" is the least recently used and goes
    read("a")
    assert calls == ["a", "bb", "ccc", "a"]
    clear_caches()
    read("ccc")
    assert calls[-1] == "ccc" and read.cache_info().currsize == 1
