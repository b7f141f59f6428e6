"""The pairing rules of linking (pure)."""

from sync.link_pairing import pair


def test_one_to_one_pairs_and_both_kinds_of_ambiguity() -> None:
    result = pair(
        {
            "p-mug": {"e-mug"},  # 1:1
            "p-red": {"e-tee"},  # the tee entity matches two products
            "p-blue": {"e-tee"},
            "p-cap": {"e-cap1", "e-cap2"},  # the cap product matches two entities
        }
    )
    assert result.pairs == [("e-mug", "p-mug")]
    assert result.ambiguous_entities == {
        "e-tee": {"p-red", "p-blue"},
        "e-cap1": {"p-cap"},
        "e-cap2": {"p-cap"},
    }
    assert result.ambiguous_products == {"p-cap": {"e-cap1", "e-cap2"}}


def test_an_entity_meeting_a_product_blocked_earlier_is_blocked() -> None:
    # An earlier batch found p-cap ambiguous and decided e-cap1; e-cap2 comes now.
    result = pair({"p-cap": {"e-cap2"}}, decided={"e-cap1"}, blocked_products={"p-cap"})
    assert result.pairs == []
    assert result.ambiguous_entities == {"e-cap2": {"p-cap"}}
    assert result.ambiguous_products == {}  # reported once, earlier


def test_only_wanted_and_undecided_entities_are_decided() -> None:
    entities_of = {"p1": {"e1"}, "p2": {"e2"}}
    assert pair(entities_of, wanted={"e2"}).pairs == [("e2", "p2")]
    assert pair(entities_of, decided={"e1"}).pairs == [("e2", "p2")]
