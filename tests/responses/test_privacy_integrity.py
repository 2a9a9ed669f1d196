"""Privacy (keyed pseudonyms, dropped personal data) and integrity (raw file untouched)."""
import hashlib
import hmac

import pandas as pd
import pytest
from responses_helpers import HEADERS_ZH, write_csv

from surveykit import read_responses
from surveykit.responses.privacy import PseudonymKeyWarning, hmac_prefixes

ROWS = [["E1001", "1", "3", "4", "5", "2"], ["E1002", "2", "", "2", "2", "1"]]


def _file(tmp_path):
    return write_csv(tmp_path / "ids.csv", ["工号"] + HEADERS_ZH, ROWS)


def test_hmac_equals_standard_library():
    msgs = [b"", b"1", "序号".encode(), b"x" * 200]
    for key in (b"k", b"k" * 100):
        got = hmac_prefixes(msgs, key)
        want = b"".join(hmac.digest(key, m, "sha256")[:8] for m in msgs)
        assert got == want


def _sip24(k: bytes, m: bytes) -> int:
    """Plain-Python SipHash-2-4 (Aumasson & Bernstein 2012), the test's own reference."""
    mask = 2**64 - 1

    def rotl(x, b):
        return ((x << b) | (x >> (64 - b))) & mask

    k0, k1 = int.from_bytes(k[:8], "little"), int.from_bytes(k[8:], "little")
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def rnd():
        v[0] = (v[0] + v[1]) & mask; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & mask; v[3] = rotl(v[3], 16); v[3] ^= v[2]
        v[0] = (v[0] + v[3]) & mask; v[3] = rotl(v[3], 21); v[3] ^= v[0]
        v[2] = (v[2] + v[1]) & mask; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32)

    tail = len(m) // 8 * 8
    words = [int.from_bytes(m[i:i + 8], "little") for i in range(0, tail, 8)]
    words.append(int.from_bytes(m[tail:], "little") | ((len(m) & 0xFF) << 56))
    for w in words:
        v[3] ^= w
        rnd()
        rnd()
        v[0] ^= w
    v[2] ^= 0xFF
    for _ in range(4):
        rnd()
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _pseudonym(key: bytes, rid: str) -> str:
    k = hmac.new(key, b"surveykit/pseudonym/siphash-2-4", hashlib.sha256).digest()[:16]
    return "p%016x" % _sip24(k, rid.encode("utf-8"))


def test_siphash_matches_paper_vectors_and_reference():
    import numpy as np

    from surveykit.responses.privacy import pseudonym_hex, siphash24

    key = bytes(range(16))
    k0, k1 = int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little")
    w = np.frombuffer(bytes(range(15)) + bytes([15]), dtype="<u8").reshape(1, 2)
    assert int(siphash24(w, k0, k1)[0]) == 0xA129CA6149BE45E5      # paper, appendix A
    w0 = np.zeros((1, 1), dtype=np.uint64)
    assert int(siphash24(w0, k0, k1)[0]) == 0x726FDB47DD0E0E31     # reference vectors.h, len 0
    assert _sip24(key, bytes(range(15))) == 0xA129CA6149BE45E5
    import pyarrow as pa

    msgs = ["", "1", "序号", "x" * 7, "x" * 8, "x" * 200, "E1001"]
    got = pseudonym_hex(pa.array(msgs, type=pa.large_string()), b"k").decode()
    want = "".join(_pseudonym(b"k", m)[1:] for m in msgs)
    assert got == want


def test_siphash_in_chunks_equals_reference_beyond_one_chunk():
    import numpy as np
    import pyarrow as pa

    from surveykit.responses import privacy

    n = 2 * privacy._LANES + 123                       # three chunks, the last one short
    msgs = [f"R{i}" + "x" * (i % 11) for i in range(n)]
    got = privacy.pseudonym_hex(pa.array(msgs, type=pa.large_string()), b"k").decode()
    for i in np.random.default_rng(3).choice(n, 60, replace=False).tolist() + [0, n - 1]:
        assert got[16 * i: 16 * i + 16] == _pseudonym(b"k", msgs[i])[1:]


def test_ids_pseudonymised_with_key(tmp_path, mini):
    r = read_responses(_file(tmp_path), mini, id_column="工号", key="study-secret")
    want = _pseudonym(b"study-secret", "E1001")
    assert r.meta["respondent_id"].iloc[0] == want and r.index[0] == want
    flat = r.to_frame().astype(str).to_string() + r.issues.to_string() + r.mapping.to_string()
    assert "E1001" not in flat and "study-secret" not in flat
    # the key from the environment gives the same pseudonyms as key=
    r2 = read_responses(_file(tmp_path), mini, id_column="工号")
    assert r2.meta["respondent_id"].iloc[0] == _pseudonym(b"test-key", "E1001")


def test_no_key_warns_and_uses_run_key(tmp_path, mini, monkeypatch):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY")
    with pytest.warns(PseudonymKeyWarning, match="random key made for this run"):
        a = read_responses(_file(tmp_path), mini, id_column="工号")
    with pytest.warns(PseudonymKeyWarning):
        b = read_responses(_file(tmp_path), mini, id_column="工号")
    assert a.index.equals(b.index)                       # stable within one run


def test_pseudonymise_false_keeps_ids(tmp_path, mini):
    r = read_responses(_file(tmp_path), mini, id_column="工号", pseudonymise=False)
    assert r.meta["respondent_id"].tolist() == ["E1001", "E1002"]


def test_cli_outputs_hold_no_raw_ids_or_ip(tmp_path, wjx_code_csv, mini):
    from surveykit.cli.responses import write_outputs

    r = read_responses(_file(tmp_path), mini, id_column="工号")
    paths = write_outputs(r, tmp_path / "out" / "data.csv")
    text = "".join(p.read_text(encoding="utf-8") for p in paths.values())
    assert "E1001" not in text and "test-key" not in text
    r = read_responses(wjx_code_csv, mini)
    paths = write_outputs(r, tmp_path / "out2" / "data.csv")
    text = "".join(p.read_text(encoding="utf-8") for p in paths.values())
    assert "192.0.2" not in text


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "sav"])
def test_raw_file_sha256_unchanged(tmp_path, mini, suffix):
    p = _file(tmp_path)
    if suffix == "xlsx":
        x = tmp_path / "ids.xlsx"
        pd.read_csv(p, dtype=str).to_excel(x, index=False)
        p = x
    elif suffix == "sav":
        import pyreadstat

        df = pd.read_csv(p)
        df.columns = ["id", "PR06", "PR06a", "LP01", "LP02", "LP03"]
        x = tmp_path / "ids.sav"
        pyreadstat.write_sav(df, str(x))
        p = x
    before = hashlib.sha256(p.read_bytes()).hexdigest()
    mtime = p.stat().st_mtime_ns
    r = read_responses(p, mini, id_column="工号" if suffix != "sav" else "id")
    assert r.sources[0].sha256 == before
    assert hashlib.sha256(p.read_bytes()).hexdigest() == before
    assert p.stat().st_mtime_ns == mtime


def test_same_id_same_pseudonym_whatever_its_type():
    from surveykit.responses.privacy import pseudonymise_ids

    key = b"k"
    a = pseudonymise_ids(pd.Series([1.0, float("nan"), 2.0]), key)
    b = pseudonymise_ids(pd.Series([1, 2]), key)
    c = pseudonymise_ids(pd.Series(["1", " 2"]), key)
    assert a.iloc[0] == b.iloc[0] == c.iloc[0] and a.iloc[2] == b.iloc[1] == c.iloc[1]
    assert pd.isna(a.iloc[1])


def test_pseudonym_numbers_read_the_hex_of_each_pseudonym():
    import pandas as pd

    from surveykit.responses.privacy import pseudonym_numbers

    s = pd.Series(["p00000000000000ff", None, "pffffffffffffffff", "p0123456789abcdef"],
                  dtype="str")
    nums, present = pseudonym_numbers(s)
    assert present.tolist() == [True, False, True, True]
    assert nums[present].tolist() == [0xFF, 0xFFFFFFFFFFFFFFFF, 0x0123456789ABCDEF]
    # anything that is not a pseudonym goes the general way (None)
    for other in (["p00000000000000fg"], ["p00000000000000FF"], ["q00000000000000ff"], ["p00ff"], ["R1", "R2"]):
        assert pseudonym_numbers(pd.Series(other, dtype="str")) is None
    assert pseudonym_numbers(pd.Series([1, 2])) is None
    assert pseudonym_numbers(pd.Series(["p00000000000000ff"], dtype=object)) is None
    assert pseudonym_numbers(s.iloc[2:]) is not None         # a sliced (offset) array
