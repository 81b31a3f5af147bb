"""The learned event-type classifier: features, training, determinism, files, errors."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harmledger.errors import ConfigError, ModelError
from harmledger.learn import VERSION, FeatureSettings, TrainSettings, load_model, train
from harmledger.learn.features import feature_counts, stable_hash, tokenize

ATTACK = ("Violence against civilians", "Attack")
CLASH = ("Battles", "Armed clash")
PROTEST = ("Protests", "Peaceful protest")
ARREST = ("Strategic developments", "Arrests")
SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")

#: a small table written in the style of wire and ACLED notes
TRAIN: list[tuple[str, tuple[str, str]]] = [
    ("Gunmen shot dead a shepherd near his village and fled.", ATTACK),
    ("Unknown gunmen killed a civilian shop owner in front of his home.", ATTACK),
    ("Militants executed two farmers they accused of informing.", ATTACK),
    ("A man was stabbed to death by unidentified assailants at a market.", ATTACK),
    ("Gunmen opened fire on a family car, killing a woman and her son.", ATTACK),
    ("Assailants shot and wounded a teacher on his way to school.", ATTACK),
    ("Army troops clashed with militants near the river for two hours.", CLASH),
    ("Fighters exchanged fire with insurgents at a checkpoint overnight.", CLASH),
    ("Security forces fought IS militants in the desert; three fighters died.", CLASH),
    ("Tribal fighters battled insurgents who attacked their outpost.", CLASH),
    ("Clashes broke out between soldiers and militants in the orchards.", CLASH),
    ("Police engaged gunmen in a firefight after they attacked a checkpoint.", CLASH),
    ("Hundreds of residents demonstrated peacefully to demand jobs.", PROTEST),
    ("Students held a sit-in outside the university demanding reforms.", PROTEST),
    ("Dozens of retirees protested in front of the council over unpaid pensions.", PROTEST),
    ("Farmers rallied outside the governorate building calling for water.", PROTEST),
    ("Graduates staged a peaceful demonstration demanding employment.", PROTEST),
    ("Residents gathered in the square to protest power cuts.", PROTEST),
    ("Police arrested a wanted suspect on terrorism charges.", ARREST),
    ("Security forces detained three men suspected of financing militants.", ARREST),
    ("Intelligence officers arrested a smuggler at the border crossing.", ARREST),
    ("Police detained a suspect wanted under the anti-terrorism law.", ARREST),
    ("Officers arrested two suspected militants during a raid on a house.", ARREST),
    ("Authorities detained a man accused of planning attacks.", ARREST),
    ("Artillery shelled villages along the border, damaging farmland.", SHELLING),
    ("Mortar rounds hit a residential area; no casualties were reported.", SHELLING),
    ("Rockets were fired at the airbase; two landed inside the perimeter.", SHELLING),
    ("Turkish artillery shelled the mountain area near the village.", SHELLING),
    ("Katyusha rockets struck near the embassy compound.", SHELLING),
    ("The army shelled positions of the militants with howitzers.", SHELLING),
]

TEXTS = [t for t, _ in TRAIN]
LABELS = [lab for _, lab in TRAIN]


@pytest.fixture(scope="module")
def model():
    return train(TEXTS, LABELS, source={"file": "table", "rows": len(TEXTS)})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gunmen shot dead a civilian near his home.", ATTACK),
        ("Soldiers clashed with militants at a checkpoint.", CLASH),
        ("Residents demonstrated peacefully demanding jobs and water.", PROTEST),
        ("Police arrested a suspect wanted on terrorism charges.", ARREST),
        ("Artillery shelled a village; mortar rounds hit homes.", SHELLING),
    ],
)
def test_learn_separates_event_types(model, text, expected):
    p = model.predict(text)
    assert (p.event_type, p.sub_event_type) == expected
    assert 0.0 < p.probability <= p.event_type_probability <= 1.0


def test_learn_fits_its_training_table(model):
    got = [(p.event_type, p.sub_event_type) for p in model.predictions(TEXTS)]
    assert sum(g == e for g, e in zip(got, LABELS, strict=True)) >= len(TEXTS) - 1


def test_learn_batch_and_single_predictions_agree(model):
    probs = model.predict_proba(TEXTS)
    assert probs.shape == (len(TEXTS), len(model.labels))
    assert np.allclose(probs.sum(axis=1), 1.0)
    for row, text in zip(probs, TEXTS, strict=True):
        p = model.predict(text)
        assert model.labels[int(np.argmax(row))] == (p.event_type, p.sub_event_type)
        assert row.max() == pytest.approx(p.probability, abs=1e-5)


def test_learn_empty_text_gives_the_prior(model):
    p = model.predict("")
    assert p.event_type in {lab[0] for lab in LABELS}


def test_learn_same_seed_same_weights():
    a = train(TEXTS, LABELS, settings=TrainSettings(seed=7))
    b = train(TEXTS, LABELS, settings=TrainSettings(seed=7))
    assert np.array_equal(a.weights, b.weights)
    assert np.array_equal(a.bias, b.bias)
    assert np.array_equal(a.features, b.features)
    c = train(TEXTS, LABELS, settings=TrainSettings(seed=8))
    assert not np.array_equal(a.weights, c.weights)  # the seed does shuffle


def test_learn_bigrams_option_adds_features():
    uni = train(TEXTS, LABELS)
    bi = train(TEXTS, LABELS, features=FeatureSettings(bigrams=True))
    assert len(bi.features) > len(uni.features)
    assert bi.predict("Police arrested a suspect.").event_type == "Strategic developments"


def test_learn_save_load_round_trip(model, tmp_path):
    path = model.save(tmp_path / "m.npz")
    loaded = load_model(path)
    assert loaded.labels == model.labels
    assert loaded.settings == model.settings
    assert np.array_equal(loaded.weights, model.weights)
    assert np.allclose(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS))
    header = loaded.header
    assert header["version"] == VERSION == "eventtype.v1"
    assert header["training_data"] == {"file": "table", "rows": len(TEXTS)}
    assert header["trained"][:2] == "20"
    assert header["features"]["bits"] == 20
    assert loaded.file_sha256 and len(loaded.file_sha256) == 64
    assert loaded.tag == f"eventtype.v1@{loaded.file_sha256[:12]}"
    assert load_model(path) is loaded  # cached per process


def test_learn_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="does not exist; train one with 'harmledger train"):
        load_model(tmp_path / "nope.npz")


def test_learn_corrupt_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"this is not a zip archive at all")
    with pytest.raises(ModelError, match="is not a harmledger model") as e:
        load_model(bad)
    assert isinstance(e.value, ConfigError)


def test_learn_model_file_without_arrays_is_rejected(tmp_path):
    path = tmp_path / "partial.npz"
    np.savez(path, header=np.frombuffer(b'{"version": "eventtype.v1"}', dtype=np.uint8))
    with pytest.raises(ModelError, match="missing features"):
        load_model(path)


def test_learn_other_model_version_is_rejected(model, tmp_path):
    path = model.save(tmp_path / "m.npz")
    with zipfile.ZipFile(path) as z:
        arrays = {n[:-4]: np.load(z.open(n)) for n in z.namelist()}
    header = json.loads(arrays["header"].tobytes())
    header["version"] = "eventtype.v9"
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    other = tmp_path / "v9.npz"
    np.savez(other, **arrays)
    with pytest.raises(ModelError, match=r"'eventtype\.v9' model but this harmledger reads"):
        load_model(other)


def test_learn_mismatched_lengths_rejected():
    with pytest.raises(ValueError):
        train(TEXTS, LABELS[:-1])


# --------------------------------------------------------------------------- features


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("IS militants KILLED 12 people", ["is", "militants", "killed", "00", "people"]),
        ("al-Hashd's fighters", ["al-hashd's", "fighters"]),
        ("1,566 were missing.", ["0,000", "were", "missing"]),
        ("", []),
    ],
)
def test_learn_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_learn_stable_hash_is_crc32():
    # fixed across processes and machines (Python's hash() is salted per process)
    assert stable_hash("killed") == 633015130
    assert stable_hash("shelled") == stable_hash("shelled")


def test_learn_feature_counts_bigrams():
    uni = feature_counts("gunmen shot gunmen", bits=20, bigrams=False)
    assert sum(uni.values()) == 3
    both = feature_counts("gunmen shot gunmen", bits=20, bigrams=True)
    assert sum(both.values()) == 5
    assert all(0 <= k < 2**20 for k in both)


@given(st.text(max_size=200))
def test_learn_tokens_are_lower_case_without_digits_but_zero(text):
    for tok in tokenize(text):
        assert tok == tok.lower()
        assert not any(c.isdigit() and c != "0" for c in tok if c.isascii())
