"""Indonesian personal names for the synthetic population.

Kutai Timur is a migrant regency: Javanese and Bugis families (transmigration, plantations, coal),
Banjar traders, the Kutai of the river towns, Dayak (Wehea, Kenyah, Bahau, Modang) upriver and
Christian families from Toraja, Batak and Flores/Timor. Names are drawn per ethnic group and
generation (older people carry older-style names, children born since 2005 the modern ones), and
children often carry their father's last name element, as many Indonesian families do. Names are
written without apostrophes or commas so that every CSV field stays unquoted.
"""

from __future__ import annotations

import numpy as np

ETHNIC = ("jawa", "bugis", "banjar", "kutai", "dayak", "toraja", "batak", "ntt")
#: Groups whose families are mostly Christian and carry a family (clan) name.
CLAN_GROUPS = frozenset({"toraja", "batak", "ntt"})

_MALE_OLD = {
    "jawa": "Slamet Sugeng Agus Budi Joko Bambang Sutrisno Suparman Wahyu Eko Heru Yudi Teguh Purnomo "
    "Sugiarto Hadi Suryadi Priyo Gunawan Santoso Rudi Darmanto Sukardi Paijo Tukiman Sarno Parjo "
    "Suwarno Mulyono Sumarno Wagiman Jumadi Yanto Hartono Supriyadi Sunarto Wahyudi Rahmat Sutarno "
    "Sugianto Sukirno Warsito Kasiman Sumadi Suprapto Triyono Haryanto Sugito Margono Suyitno",
    "bugis": "Baso Ambo Muhammad Abdul Syamsul Haris Hasanuddin Arifin Rusdi Darwis Jamaluddin Syahrir "
    "Syarifuddin Amiruddin Nasir Kamaruddin Herman Hamzah Ilham Irwan Sudirman Ansar Akbar Firman "
    "Samsul Usman Bahar Mustari Rahman Sahabuddin Bakri Muslimin Arman Hasbi Basri Jufri Tamrin "
    "Nurdin Saharuddin Zainuddin Alimuddin Baharuddin Lukman Muhtar Sulaiman Ridwan",
    "banjar": "Ahmad Muhammad Rusdi Saberan Jumberi Anang Utuh Hasbullah Fahrurrazi Norhasan Mahmud "
    "Syahriansyah Rahmadi Fauzan Jailani Riduan Noor Abdussamad Arbain Masrani Sahrani Zainal "
    "Hairul Rusmadi Syamsuri Iberahim Mukhlis",
    "kutai": "Aji Awang Abdul Rusli Syahrani Sofyan Aidil Husin Asmuni Jailani Zainal Yusran Idrus "
    "Kadir Syaiful Irianto Ardiansyah Muhdar Rasyid Bahrun Hamdani Ismail Jumransyah",
    "dayak": "Ding Lung Ajang Anyeq Hanyeq Lejiu Bilung Jiu Ngau Lahang Yosep Yohanes Petrus Paulus "
    "Stefanus Markus Fransiskus Antonius Ignasius Benediktus Simon Lukas Lawing Juk Bang Taq Lisang "
    "Helaq Bit Laway",
    "toraja": "Yohanis Markus Daniel Samuel Frans Herman Robert Yakob Alfred Petrus Marthen Yulius "
    "Agustinus Simon Elias Musa Obed Paulus Lukas Ruben",
    "batak": "Togar Maruli Parlindungan Binsar Hotman Jonner Sahat Tigor Poltak Marihot Daniel Robert "
    "Benny Hendrik Jefri Roni Parulian Sintong Rudolf",
    "ntt": "Yosef Yohanes Fransiskus Petrus Paulus Aloysius Dominikus Kornelis Mikael Stefanus "
    "Bernardus Agustinus Yakobus Laurensius Hendrikus Gabriel Marselinus",
}
_FEMALE_OLD = {
    "jawa": "Sri Siti Dewi Wahyuni Lestari Rahayu Suharti Sumiati Sulastri Suwarni Tutik Endang Ratna "
    "Yuni Yanti Puji Murni Sukini Tumini Sumarni Rini Indah Kartini Ningsih Widyawati Handayani "
    "Setyaningsih Astuti Mulyani Purwanti Retno Wulan Sumini Painem Sutini Parmi Suyatmi Wartini "
    "Ngatini Suparmi Rubiyem Sunarsih Tumirah",
    "bugis": "Hasna Nurhayati Hasnah Rosmini Hartati Rahmawati Fatimah Sitti Hamsiah Jumiati Marlina "
    "Nurmiati Sukmawati Asriani Nurjannah Darmawati Hasmawati Irmawati Kasmawati Rosdiana Hadijah "
    "Suriani Salmah Besse Hasriani Mardiana Nurbaya Sakka Ramlah Maryam Haliah Sumarni",
    "banjar": "Galuh Aluh Norhayati Masitah Rusmini Mariani Jamilah Noorliani Rabiatul Hamidah Mahrita "
    "Hairiyah Rusdiana Salamah Aminah Halimah Sarniah Mahmudah Radiah Norjannah",
    "kutai": "Dayang Aminah Rahimah Jamilah Salasiah Mardiana Rusmiati Hairani Nurlina Masnah Syamsiah "
    "Rukmini Sumiyati Asmah Normah Hayati Zubaidah",
    "dayak": "Ping Uding Bulan Maria Theresia Yuliana Agustina Magdalena Veronika Elisabeth Martha Lusia "
    "Natalia Kristina Yenny Anyeq Lenjau Ubung Tipung Ledu Bungan Apui",
    "toraja": "Yohana Ester Debora Ruth Maria Lidya Sarah Marta Rosalina Yuliana Agustina Marlina "
    "Lince Herlina Dorkas Yuli Meri Selvi Yunita",
    "batak": "Rosmawati Tiurma Romauli Nurmala Hotmaida Rosdiana Dameria Lamria Ruslina Mariani "
    "Sondang Ruth Ester Lenny Erna Roslin",
    "ntt": "Maria Yuliana Fransiska Theresia Agnes Kristina Bernadeta Sisilia Veronika Margareta "
    "Skolastika Anastasia Yosefina Elisabeth Maria Goreti Katarina",
}
# Second name elements of Muslim-named people, and of children who do not carry the father's.
_MUSLIM_SECOND = (
    "Hidayat Saputra Pratama Ramadhan Maulana Firmansyah Kurniawan Setiawan Nugroho Wijaya Hakim "
    "Ridwan Fauzi Hasan Husain Rahman Syahputra Anwar Nurdin Alamsyah Efendi Iskandar Permana "
    "Prasetyo Wibowo Susanto Hidayatullah Akbar Fadillah Hamdani Rizaldi Syahrial Santoso Gunawan "
    "Hermawan Sudrajat Mubarok Amin Fikri"
)
_FEMALE_SECOND = (
    "Lestari Rahayu Wulandari Handayani Rahmawati Safitri Purnamasari Anggraini Puspita Sari "
    "Kurniasih Hidayati Ningsih Febriani Oktaviani Permatasari Maharani Susanti Yulianti Amalia "
    "Fitriani Agustina Nurhayati Wahyuningsih Aprilia Ramadhani Novitasari Maulida"
)
# Children born from 2005 on: the names of posyandu registers today.
_MALE_YOUNG_MUSLIM = (
    "Muhammad Rizky|Muhammad Fadil|Ahmad Fauzan|Rafi|Alif|Arkan|Azka|Fathan|Raffa|Zidan|Dimas|"
    "Bintang|Rizky|Farel|Gibran|Arsyad|Abdullah|Hafiz|Naufal|Reza|Yusuf|Ilham|Iqbal|Fikri|Galang|"
    "Satria|Aditya|Daffa|Alfarizi|Rayyan|Muhammad Al Fatih|Muhammad Zaki|Muhammad Arsyad|Ahmad Zaki|"
    "Khairul|Aqil|Fariz|Haikal|Ridho|Akbar|Andika|Fajar|Nabil|Zaidan|Abizar|Athar|Kenzie|Rasya|"
    "Emir|Hamzah|Yazid|Rafa|Rehan|Dzaky|Muhammad Rafi|Muhammad Ilham|Arga|Dafa|Rendi|Yoga|Bayu"
)
_FEMALE_YOUNG_MUSLIM = (
    "Aisyah|Nayla|Azzahra|Khanza|Salsabila|Zahra|Alya|Putri|Keisha|Nadia|Aulia|Syifa|Adinda|Anindya|"
    "Nur Aini|Cantika|Bunga|Citra|Anisa|Kirana|Almira|Humaira|Shakila|Nafisa|Aqila|Naura|Fatimah|"
    "Kayla|Zaskia|Siti Nurhaliza|Siti Aisyah|Nurhayati|Zalfa|Hafsah|Hanifa|Khadijah|Rania|Sabrina|"
    "Intan|Dinda|Fitri|Nabila|Rahma|Safira|Tiara|Wulan|Yasmin|Zahira|Alesha|Arumi|Nur Fadilah|"
    "Qonita|Raisa|Sheila|Talita|Kamila|Inara|Mikayla|Hilya"
)
_MALE_YOUNG_CHRISTIAN = (
    "Gabriel|Michael|Kevin|Christian|Jonathan|Yosua|Immanuel|Samuel|Daniel|Petrus|Yohanes|Stevan|"
    "Aldo|Jeremia|Natanael|Rafael|Timotius|Elia|Marvel|Fransisko|Kristofer|Jordan|Nikolas|Benyamin"
)
_FEMALE_YOUNG_CHRISTIAN = (
    "Angelina|Grace|Clara|Gracia|Jessica|Natasha|Christina|Valentina|Maria|Yohana|Debora|Priskila|"
    "Felisia|Kezia|Agnes|Margaretha|Stefani|Veronika|Elisabeth|Cindy|Theresia|Olivia|Regina|Monika"
)
_CLAN = {
    "toraja": "Tandirerung Rante Pasolang Sampe Tangdilintin Palimbong Rantetana Sarungallo Paembonan "
    "Tandiayu Parinding Patandung Tangkelayuk Lembang Allo Pakiding",
    "batak": "Simanjuntak Pasaribu Sitorus Siregar Nainggolan Hutapea Sinaga Simatupang Manurung "
    "Situmorang Tambunan Panjaitan Sihombing Hutagalung Lumbantobing Silaban Napitupulu",
    "ntt": "Ola Kewa Tukan Kelen Bala Wuwur Koten Lamawuran Making Sogen Hurint Nuwa Bataona Doren "
    "Laga Ratu Mone",
}
_DAYAK_ELEMENT = (
    "Lejiu Ding Anyeq Lung Ajang Bilung Lahang Lawing Helaq Juk Taq Lisang Bang Ngau Laway"
)


def _pool(text: str, sep: str | None = None) -> np.ndarray:
    return np.array(text.split(sep), dtype=object)


MALE_OLD = {k: _pool(v) for k, v in _MALE_OLD.items()}
FEMALE_OLD = {k: _pool(v) for k, v in _FEMALE_OLD.items()}
MUSLIM_SECOND = _pool(_MUSLIM_SECOND)
FEMALE_SECOND = _pool(_FEMALE_SECOND)
MALE_YOUNG = {False: _pool(_MALE_YOUNG_MUSLIM, "|"), True: _pool(_MALE_YOUNG_CHRISTIAN, "|")}
FEMALE_YOUNG = {False: _pool(_FEMALE_YOUNG_MUSLIM, "|"), True: _pool(_FEMALE_YOUNG_CHRISTIAN, "|")}
CLAN = {k: _pool(v) for k, v in _CLAN.items()}
DAYAK_ELEMENT = _pool(_DAYAK_ELEMENT)

#: Spelling variants officers write for the same name in another system: (pattern, variants).
#: Used to inject name variation between the family roster and e-PPGBM / P3KE / agency lists.
NAME_VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Muhammad", ("Muhamad", "M.", "Muhammat", "Mohammad", "Moh.")),
    ("Nurhayati", ("Nur Hayati", "Nurhayat")),
    ("Nur Aini", ("Nuraini",)),
    ("Nur Fadilah", ("Nurfadilah", "Nur Fadillah")),
    ("Siti", ("Sitti", "St.")),
    ("Sitti", ("Siti",)),
    ("Rizky", ("Rizki", "Rizqi")),
    ("Ahmad", ("Achmad", "Akhmad")),
    ("Abdul", ("Abd.",)),
    ("Fatimah", ("Fatima",)),
    ("Aisyah", ("Aisah", "Aisya")),
    ("Anisa", ("Annisa",)),
    ("Nabila", ("Nabilla",)),
    ("Kamila", ("Kamilla",)),
    ("Aqila", ("Aqilla",)),
    ("Rafi", ("Raffi",)),
    ("Hafiz", ("Hafidz",)),
    ("Ridho", ("Rido", "Ridha")),
    ("Dzaky", ("Dzaki", "Zaky")),
    ("Fikri", ("Fikry",)),
    ("Syifa", ("Syfa", "Sifa")),
    ("Khanza", ("Kanza",)),
    ("Yusuf", ("Yusup",)),
    ("Zahra", ("Zahrah",)),
    ("Putri", ("Puteri",)),
    ("Syarifuddin", ("Syarifudin",)),
    ("Hasanuddin", ("Hasanudin",)),
    ("Nurjannah", ("Nurjanah",)),
    ("Yohanes", ("Johanes",)),
    ("Wahyuni", ("Wahyu Ni",)),
    ("Handayani", ("Handayan",)),
)
#: Common short forms (nicknames) by first name; otherwise a nickname is one given name.
SHORT_FORMS = {
    "Aisyah": "Ais",
    "Azzahra": "Zahra",
    "Salsabila": "Salsa",
    "Nabila": "Bila",
    "Khadijah": "Dijah",
    "Fatimah": "Ima",
    "Abdullah": "Dul",
    "Aditya": "Adit",
    "Andika": "Dika",
    "Rayyan": "Ray",
    "Kirana": "Rana",
    "Anindya": "Anin",
    "Almira": "Mira",
    "Humaira": "Maira",
    "Cantika": "Tika",
    "Adinda": "Dinda",
    "Gabriel": "Gabi",
    "Jonathan": "Nathan",
    "Christian": "Chris",
    "Natasha": "Tasha",
    "Angelina": "Angel",
    "Christina": "Tina",
    "Valentina": "Tina",
    "Elisabeth": "Lisa",
    "Theresia": "Tere",
    "Veronika": "Vero",
    "Wahyuni": "Yuni",
    "Handayani": "Yani",
    "Rahmawati": "Rahma",
}
# First elements that are rarely the name a person is called by.
_PREFIX_NAMES = frozenset({"Muhammad", "Ahmad", "Siti", "Nur", "Andi", "Abdul"})
# Titles written before a parent's name, and the Muslim "son of" / "daughter of".
HONORIFICS = {True: ("Ibu", "Ny.", "Hj."), False: ("Bapak", "Bpk.", "H.")}


def variant_of(name: str, pick: int = 0) -> str | None:
    """A spelling variant of ``name`` (first matching pattern; variant ``pick`` modulo), else
    the spacing of a "Nur" name changed ("Nur Aisyah" ↔ "Nuraisyah") or a doubled letter
    written once ("Annisa" → "Anisa"); None when the name offers none of these."""
    padded = f" {name} "
    for pattern, variants in NAME_VARIANTS:
        if f" {pattern} " in padded:
            new = variants[pick % len(variants)]
            return padded.replace(f" {pattern} ", f" {new} ", 1).strip()
    words = name.split(" ")
    for i, word in enumerate(words):
        if word == "Nur" and i + 1 < len(words):
            return " ".join([*words[:i], "Nur" + words[i + 1].lower(), *words[i + 2 :]])
        if word.startswith("Nur") and len(word) > 5:
            return " ".join([*words[:i], "Nur", word[3:].capitalize(), *words[i + 1 :]])
    for i, word in enumerate(words):
        for j in range(1, len(word) - 1):
            if word[j] == word[j + 1] and word[j].isalpha():
                return " ".join([*words[:i], word[: j + 1] + word[j + 2 :], *words[i + 1 :]])
    return None


def nickname(name: str) -> str | None:
    """What family and posyandu cadres call a person: a common short form of the first name,
    else the given name after a "Muhammad" / "Siti" / "Nur", else the first name alone."""
    words = name.split(" ")
    if words[0] in SHORT_FORMS:
        return SHORT_FORMS[words[0]]
    if words[0] in _PREFIX_NAMES and len(words) > 1:
        return words[1]
    if len(words) > 1:
        return words[0]
    return None


def with_title(name: str, female: bool, pick: int = 0) -> str:
    """A parent's name with a title before it ("Ibu Sri Lestari", "Bpk. Slamet")."""
    titles = HONORIFICS[female]
    return f"{titles[pick % len(titles)]} {name}"


def with_parent(name: str, female: bool, father: str) -> str:
    """A child's name with "bin" / "binti" and the father's first name."""
    return f"{name} {'binti' if female else 'bin'} {father.split(' ')[0]}"


def draw(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), n)]
