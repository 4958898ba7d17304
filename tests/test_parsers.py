"""Value parsers and NIK rules: what an officer writes in a cell and what Sinergi makes of it."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.ingest import parsers
from sinergi.ingest.reader import cell_text

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/01/1990", date(1990, 1, 5)),
        ("5-1-1990", date(1990, 1, 5)),
        ("1990-01-05", date(1990, 1, 5)),
        ("1990-01-05 00:00:00", date(1990, 1, 5)),
        ("12 Januari 2023", date(2023, 1, 12)),
        ("3 Agustus 2021", date(2021, 8, 3)),
        ("17 Nopember 1999", date(1999, 11, 17)),
        ("12 Peb 2023", date(2023, 2, 12)),
        ("5-Agt-2020", date(2020, 8, 5)),
        ("1 Sept. 2021", date(2021, 9, 1)),
        ("2 march 2022", date(2022, 3, 2)),
        ("44927", date(2023, 1, 1)),  # Excel serial number
        ("44927.0", date(2023, 1, 1)),
        ("44927.75", date(2023, 1, 1)),  # a serial with a time of day
        ("1", date(1900, 1, 1)),  # Excel's first day
        ("61", date(1900, 3, 1)),  # after Excel's non-existent 29/02/1900
        # Forms only the growth module read before one parser served both:
        ("2023/01/05", date(2023, 1, 5)),
        ("05/01/2023 10:00", date(2023, 1, 5)),
        ("05/01/2023 10.00 WITA", date(2023, 1, 5)),
        ("2023-01-05T10:00:00+08:00", date(2023, 1, 5)),
        ("5.1.2023 9:05:07 PM", date(2023, 1, 5)),
        ("\u00a005/01/2023 ", date(2023, 1, 5)),  # a non-breaking space pasted from a web page
    ],
)
def test_dates_in_every_accepted_form(text: str, expected: date) -> None:
    assert parsers.date_value(text, TODAY).value == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31/02/2019", "tanggal_tidak_valid"),
        ("2019-13-05", "tanggal_tidak_valid"),
        ("tgl 5", "tanggal_tidak_valid"),
        ("12 Brumaire 2020", "tanggal_tidak_valid"),
        ("05/01/2023 kemarin", "tanggal_tidak_valid"),  # after a date only a time of day
        ("05/01/2023 24:00", "tanggal_tidak_valid"),
        ("01/13/2023", "tanggal_tidak_valid"),  # month first is never read
        ("0000-01-01", "tanggal_tidak_valid"),
        ("0", "tanggal_tidak_valid"),
        ("\u0661\u0662/\u0660\u0661/\u0662\u0660\u0662\u0663", "tanggal_tidak_valid"),
        ("2099-01-01", "tanggal_masa_depan"),
        ("01/01/1899", "tanggal_sebelum_1900"),
    ],
)
def test_bad_dates_are_explained(text: str, code: str) -> None:
    assert parsers.date_value(text, TODAY).code == code


@given(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_any_real_date_round_trips_in_each_written_form(d: date) -> None:
    for text in (d.strftime("%d/%m/%Y"), d.strftime("%d-%m-%Y"), d.isoformat()):
        assert parsers.date_value(text, TODAY).value == d
    serial = (d - parsers.EXCEL_EPOCH).days
    if serial > 60:
        assert parsers.date_value(str(serial), TODAY).value == d


@given(st.dates(min_value=TODAY + timedelta(days=1), max_value=date(2200, 1, 1)))
def test_every_future_date_is_refused(d: date) -> None:
    assert parsers.date_value(d.strftime("%d/%m/%Y"), TODAY).code == "tanggal_masa_depan"


# Texts in every form the date grammar knows, built from parts that may not make a real date
# (day 31 of February, month 13, year 0, hour 24), so that both readers meet their edges.
_SEPARATOR = st.sampled_from("/-.")
_PADDING = st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\n"])
_DAY, _MONTH = st.integers(0, 40), st.integers(0, 14)
_YEAR = st.one_of(st.integers(1890, 2030), st.integers(0, 9999))


def _two(n: int, pad: bool) -> str:
    return f"{n:02d}" if pad else str(n)


_TIME = st.one_of(
    st.just(""),
    st.builds(
        lambda sep, h, m, s, tail: f"{sep}{h:02d}{m}{s}{tail}",
        st.sampled_from([" ", " ", "T", "  ", "x"]),
        st.one_of(st.sampled_from([0, 9, 23, 24, 29]), st.integers(0, 99)),
        st.sampled_from([":00", ":59", ".30", ":60", ":5", "-30"]),
        st.sampled_from(["", "", ":07", ".59", ":60", ":07.25", ",5"]),
        st.sampled_from(["", "", "", " AM", "pm", "Z", "+07:00", " WITA", " wib", " GMT"]),
    ),
)
_NUMERIC = st.builds(
    lambda pad, d, s1, m, s2, y, time, day_first: (
        f"{_two(d, pad)}{s1}{_two(m, pad)}{s2}{y:04d}{time}"
        if day_first
        else f"{y:04d}{s1}{_two(m, pad)}{s2}{_two(d, pad)}{time}"
    ),
    st.booleans(),
    _DAY,
    _SEPARATOR,
    _MONTH,
    _SEPARATOR,
    _YEAR,
    _TIME,
    st.booleans(),
)
_MONTH_WORD = st.one_of(
    st.sampled_from(sorted(parsers.MONTHS)).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.title()])
    ),
    st.sampled_from(["Brumaire", "Juni2", "Mey", "Okto"]),
)
_WORDS = st.builds(
    lambda d, sep, w, dot, y: f"{d}{sep}{w}{dot}{sep}{y}",
    _DAY,
    st.sampled_from([" ", "-", " - ", "  "]),
    _MONTH_WORD,
    st.sampled_from(["", "."]),
    _YEAR,
)
_SERIAL = st.one_of(
    st.integers(-5, 3_000_000).map(str),
    st.floats(0, 1_000_000, allow_nan=False).map(lambda x: f"{x:.3f}"),
    st.integers(0, 99_999).map(lambda n: f"{n}."),
)
DATE_TEXTS = st.builds(
    lambda a, text, b: a + text + b,
    _PADDING,
    st.one_of(_NUMERIC, _WORDS, _SERIAL, st.text(max_size=25)),
    _PADDING,
)


@settings(max_examples=500)
@given(st.lists(DATE_TEXTS, min_size=1, max_size=40))
def test_the_column_reader_and_the_cell_reader_agree_on_dates(texts: list[str]) -> None:
    column = parsers.date_array(np.array(texts, dtype=object))
    for text, day in zip(texts, column, strict=True):
        one = parsers.parse_date(text)
        assert (None if np.isnat(day) else day.astype(object)) == one, repr(text)
        good = bool(parsers.dates_in_range(np.array([day]), TODAY)[0])
        assert parsers.date_value(text, TODAY).ok is good, repr(text)


def test_the_column_reader_takes_typed_cells_and_missing_values() -> None:
    column = parsers.date_array(
        np.array(
            [date(2022, 1, 1), np.datetime64("2022-01-02"), 44564, 44565.5, True, None, np.nan],
            dtype=object,
        )
    )
    assert list(column.astype(str)) == [
        "2022-01-01",
        "2022-01-02",
        "2022-01-03",
        "2022-01-04",
        "NaT",
        "NaT",
        "NaT",
    ]
    serials = parsers.date_array(np.array([1.0, 44562.9, 0.5, -3.0, np.inf, 3e6]))
    assert list(serials.astype(str)) == ["1900-01-01", "2022-01-01", "NaT", "NaT", "NaT", "NaT"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("6408014101900001", None),
        (" 6408014101900001 ", None),
        ("'6408014101900001", None),
        ("6.40801E+15", "nik_notasi_ilmiah"),
        ("6,40801E+15", "nik_notasi_ilmiah"),
        ("6408014101900001.0", "nik_notasi_ilmiah"),
        ("640801410190001", "nik_bukan_16_digit"),
        ("64080141019000011", "nik_bukan_16_digit"),
        ("64080141O1900001", "nik_bukan_16_digit"),
    ],
)
def test_nik_shape(text: str, code: str | None) -> None:
    assert parsers.identity_number(text, "nik").code == code


@given(st.integers(min_value=10**15, max_value=10**16 - 1))
def test_a_nik_excel_turned_into_a_number_is_never_repaired(n: int) -> None:
    shown = cell_text(float(n))  # what the spreadsheet cell holds after Excel converted it
    assert parsers.identity_number(shown, "nik").code == "nik_notasi_ilmiah"
    assert parsers.identity_number(f"{n}.0", "nik").code == "nik_notasi_ilmiah"


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_sixteen_digits_always_parse_to_themselves(s: str) -> None:
    assert parsers.identity_number(s, "kk").value == s


def test_nik_parts_women_have_forty_added_to_the_day() -> None:
    woman = parsers.nik_parts("6408014501900001")
    assert (woman.sex, woman.birth_date, woman.region) == ("P", date(1990, 1, 5), "640801")
    man = parsers.nik_parts("6408010501200001")
    assert (man.sex, man.birth_date) == ("L", date(2020, 1, 5))
    assert parsers.nik_parts("6408013213900001").birth_date is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("L", "L"),
        ("P", "P"),
        ("Laki-laki", "L"),
        ("laki laki", "L"),
        ("Perempuan", "P"),
        ("1", "L"),
        ("2", "P"),
        ("W", "P"),
        # Words only the growth module read before one parser served both:
        ("Lk", "L"),
        ("Pr", "P"),
        ("male", "L"),
        ("Female", "P"),
        ("1.0", "L"),
        ("2.0", "P"),
    ],
)
def test_sex(text: str, value: str) -> None:
    assert parsers.sex_value(text).value == value


def test_sex_refused() -> None:
    assert parsers.sex_value("X").code == "jk_tidak_valid"
    assert parsers.sex_value("3").code == "jk_tidak_valid"


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["L", "P", "laki-laki", "Perempuan", "1", "2", "2.0", " w ", "-1"]),
            st.text(max_size=6),
        ),
        max_size=30,
    )
)
def test_the_column_reader_and_the_cell_reader_agree_on_sex(texts: list[str]) -> None:
    column = parsers.sex_codes(np.array(texts, dtype=object))
    for text, code in zip(texts, column, strict=True):
        parsed = parsers.sex_value(text)
        assert (parsers.SEXES[code] if code >= 0 else None) == parsed.value, repr(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ya", True),
        ("Y", True),
        ("1", True),
        ("true", True),
        ("Tidak", False),
        ("T", False),
        ("0", False),
        ("FALSE", False),
    ],
)
def test_yes_no(text: str, value: bool) -> None:
    assert parsers.bool_value(text).value is value


@pytest.mark.parametrize(
    ("vocabulary", "text", "code"),
    [
        ("sumber_air", "Ledeng/PAM", "ledeng"),
        ("sumber_air", "LEDENG - PAM", "ledeng"),
        ("sumber_air", "Air Kemasan/Isi Ulang", "kemasan"),
        ("sumber_air", "Sungai/Danau", "sungai_danau"),
        ("jamban", "Jamban Sendiri dengan Septic Tank", "sendiri_septik"),
        ("jamban", "Tidak Ada", "tidak_ada"),
        ("kontrasepsi", "IUD/AKDR", "iud"),
        ("kontrasepsi", "Tidak Ber-KB", "tidak_kb"),
        ("hubungan", "Kepala Keluarga", "kepala_keluarga"),
        ("cara_ukur", "Terlentang", "berbaring"),
        ("status_intervensi", "Tersalurkan", "tersalurkan"),
        ("jaringan_air", "Belum Ada", "belum_ada"),
    ],
)
def test_vocabularies(vocabulary: str, text: str, code: str) -> None:
    assert parsers.choice_value(vocabulary, text).value == code


def test_unknown_choice_lists_the_valid_ones() -> None:
    p = parsers.choice_value("jamban", "Kloset Emas")
    assert p.code == "pilihan_tidak_dikenal"
    assert "Jamban Sendiri dengan Septic Tank" in p.params["choices"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Rp 1.250.000", 1250000),
        ("1,250,000", 1250000),
        ("1250000", 1250000),
        ("1250000.0", 1250000),
        ("Rp300.000", 300000),
    ],
)
def test_rupiah(text: str, value: int) -> None:
    assert parsers.money_value(text).value == value


def test_numbers_with_decimal_comma_and_ranges() -> None:
    assert parsers.number_value("12,5").value == 12.5
    assert parsers.number_value("abc").code == "angka_tidak_valid"
    assert parsers.number_value("200", 0.5, 40).code == "angka_di_luar_rentang"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1", None),
        ("4", None),
        ("0", "desil_tidak_valid"),
        ("5", "desil_tidak_valid"),
        ("2.5", "desil_tidak_valid"),
    ],
)
def test_desil(text: str, code: str | None) -> None:
    assert parsers.desil_value(text).code == code


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 3)))
def test_numbers_round_trip(x: float) -> None:
    assert parsers.number_value(repr(x)).value == pytest.approx(x)


def test_cell_text_shows_what_excel_shows() -> None:
    assert cell_text(6408014101900001.0) == "6.40801E+15"
    assert cell_text(3.0) == "3"
    assert cell_text(1.5) == "1.5"
    assert cell_text(date(2020, 1, 2)) == "2020-01-02"
    assert cell_text(None) == ""
    assert cell_text("  x ") == "x"


def test_texts_equal_up_to_a_nul_character_are_read_one_by_one() -> None:
    # pandas 2.3 hashes all-text columns as C strings, where "\x00" and "\x001" are one text.
    texts = np.array(["\x00", "\x001", "a", "a\x00P", "L"], dtype=object)
    column = parsers.sex_codes(texts)
    assert list(column) == [parsers.sex_code(t) for t in texts] == [-1, 0, -1, -1, 0]
    # With a missing value pandas hashes Python objects; the answer is the same.
    assert list(parsers.sex_codes(np.append(texts, None))) == [-1, 0, -1, -1, 0, -1]
