"""Generate 21 noisy regional supplier registers from a known truth.

Everything comes from ``random.Random(seed)`` and the word lists below: no network, no data
files. About 60 % of the true suppliers are Swedish with valid organisation numbers, the rest
foreign (EU suppliers with valid VAT numbers, others with national ids that cannot be checked,
often missing). The truth is made hard on purpose: about one supplier in eight is a *sibling*
of another, a different company with a confusable name ("Nordic Medica" beside "Nordic
Medical", "Nordic Dental", "Nordic Medical Supply", the same name in another country or with
another legal form).

Each region lists a supplier under its own spelling: legal-form variants (AB, Aktiebolag,
Aktiebolaget X, (publ), dropped), case, punctuation, lost or transliterated diacritics, typos,
word-order swaps, joined or hyphenated words, abbreviations, country words ("Sverige",
"Sweden") added or dropped, remarks in parentheses, and identifiers written in different
formats, as VAT numbers instead of organisation numbers, mistyped or missing.
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from stdnum import luhn
from stdnum.de import vat as de_vat
from stdnum.dk import cvr as dk_cvr
from stdnum.fi import ytunnus as fi_ytunnus
from stdnum.gb import vat as gb_vat
from stdnum.nl import btw as nl_btw
from stdnum.no import orgnr as no_orgnr
from stdnum.pl import nip as pl_nip

from hallbar.suppliers.matching import SupplierRecord

__all__ = ["REGIONS", "Dataset", "Row", "TrueSupplier", "generate"]


def _words(text: str) -> list[str]:
    """Return the words of a word list written as one string."""
    return text.split()


# The 21 regions, by county code.
REGIONS = {
    "01": "Region Stockholm",
    "03": "Region Uppsala",
    "04": "Region Sörmland",
    "05": "Region Östergötland",
    "06": "Region Jönköpings län",
    "07": "Region Kronoberg",
    "08": "Region Kalmar län",
    "09": "Region Gotland",
    "10": "Region Blekinge",
    "12": "Region Skåne",
    "13": "Region Halland",
    "14": "Västra Götalandsregionen",
    "17": "Region Värmland",
    "18": "Region Örebro län",
    "19": "Region Västmanland",
    "20": "Region Dalarna",
    "21": "Region Gävleborg",
    "22": "Region Västernorrland",
    "23": "Region Jämtland Härjedalen",
    "24": "Region Västerbotten",
    "25": "Region Norrbotten",
}

# Country mix of the true suppliers, in per mille.
COUNTRY_WEIGHTS = {
    "SE": 600,
    "DE": 70,
    "FI": 40,
    "DK": 40,
    "NO": 40,
    "NL": 30,
    "GB": 40,
    "FR": 15,
    "IT": 15,
    "PL": 15,
    "CN": 35,
    "IN": 15,
    "PK": 10,
    "MY": 10,
    "VN": 5,
    "TH": 5,
    "US": 15,
}
EU_VAT_COUNTRIES = ("DE", "FI", "DK", "NL", "FR", "IT", "PL")

SE_SURNAMES = _words(
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson "
    "Lindström Olofsson Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren "
    "Lundqvist Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin "
    "Engström Eklund Danielsson Lundin Håkansson Björk Bergman Gunnarsson Holm Wikström "
    "Samuelsson Isaksson Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren Söderberg "
    "Nyberg Blomqvist Claesson Nordström Mårtensson Lundström Viklund Björklund Eliasson "
    "Pålsson Berggren Sandström Nordin Ström Åberg Hermansson Ekström Holmgren Sundberg "
    "Hedlund Dahlberg Hellström Sjögren Abrahamsson Falk Öberg Andreasson Blom Månsson "
    "Strand Sundström Lindholm Åkesson Nordqvist Ivarsson Dahl Ekman Wahlström Hedberg "
    "Lindblom Sundqvist Hägglund Forsström Rosén Åström Edlund Malmberg Lindahl Jonasson"
)
SE_FIRST_NAMES = _words(
    "Anna Eva Maria Karin Sara Lena Emma Kerstin Ingrid Marie Lars Mikael Anders Johan Erik "
    "Per Karl Peter Jan Thomas Daniel Fredrik Hans Stefan Mats Åsa Björn Göran Jörgen Örjan"
)
SE_PLACES = _words(
    "Göteborgs Malmö Uppsala Norrlands Skånska Dalarnas Värmlands Östgöta Smålands Hallands "
    "Jämtlands Gotlands Blekinge Sörmlands Västerbottens Norrbottens Kalmar Växjö Örebro Umeå "
    "Luleå Gävle Sundsvalls Karlstads Jönköpings Borås Halmstads Helsingborgs Lunds Falu "
    "Visby Östersunds Västerås Eskilstuna Linköpings Norrköpings Kristianstads Skövde "
    "Trollhättans Kiruna Varbergs Ystads Motala Nyköpings Piteå Skellefteå Örnsköldsviks"
)
SE_TRADES = _words(
    "Bygg Måleri Elteknik El VVS Rör Städ Städservice Transport Åkeri Konsult Data "
    "Medicinteknik Sjukvårdsprodukter Laboratorieteknik Tandteknik Ortopedteknik Hjälpmedel "
    "Tryckeri Kontorsmaterial Livsmedel Catering Bageri Tvätt Textil Möbler Inredning "
    "Fastighetsservice Ventilation Kyla Låsservice Glasmästeri Trädgård Säkerhet Larm "
    "Tolkservice Bemanning Rekrytering Utbildning Revision Redovisning Juridik Arkitekter "
    "Energi Miljöteknik Återvinning Maskin Verkstad Plast Förpackningar Emballage Kemi "
    "Golv Plåt Mark Betong Lift Buss Taxi Optik Hörsel Diagnostik Steriltjänst Ergonomi "
    "Fysioterapi Hygien Sjukvårdstextil Elektronik Belysning Reservdelar Skog Fordon"
)
GENERIC = _words(
    "Medical Dental Surgical Health Healthcare Care Pharma Diagnostics Instruments Equipment "
    "Supplies Supply Products Solutions Systems Services Technology Technologies Devices Labs "
    "Laboratories Sciences Logistics Trading Industries International Group Partners Textiles "
    "Plastics Rubber Gloves Electronics Engineering Software Consulting Hygiene Packaging "
    "Furniture Imaging Optics Orthopedics Biotech Scientific Innovations Life Vision Nursing "
    "Sterile Wound Therapy Mobility Rehab Clinical Home Office Print Energy Safety Food"
)
BRAND_HEADS = _words(
    "Medi Scandi Nord Sven Vita Opti Pro Uni Cura Bio Tek Dia Labo Inno Flex Sana Viva Ortho "
    "Derma Cardio Neuro Pharma Klin Steri Aqua Eco Green Ever Alfa Beta Delta Nova Astra "
    "Polar Arcti Balti Vasa Rune Frej Saga Vik Lumi Kron Fjäll Sol Hav Ark Cel Zen Omni Avi "
    "Vel Syn Hexa Quadra Tri Penta Mira Lux Ter Gal Ves Cor Pul Oxy Neo Tera Vox Ido Ura"
)
BRAND_MIDS = ("", "", "", "", "ra", "li", "to", "ne", "va", "co", "di", "ma", "ri", "so")
BRAND_TAILS = _words(
    "tek tech med care lab line nova system form tronic plast vision sense flow gard berg "
    "dal ström vik lund ia ica ex on us ix a o ett ena ina ator ium io ent ax ora ell ik"
)
INTL_BRANDS = _words(
    "Siemens Philips Baxter Abbott Medtronic Stryker Olympus Fresenius Braun Roche Hartmann "
    "Essity Coloplast Convatec Smiths Zimmer Biomet Getinge Dräger Hamilton Mindray Terumo "
    "Nipro Cardinal Becton Hologic Sysmex Werfen Radiometer Qiagen Sartorius Eppendorf "
    "Lohmann Molnar Ansell Kimberly Halyard Teleflex Cook Boston Edwards Karl Storz Arjo "
    "Invacare Permobil Ottobock Össur Sonova Widex Oticon Demant Cochlear Elekta Varian"
)
GEO_WORDS = ("Sverige", "Sweden", "Scandinavia", "Nordic")
SIBLING_EXTRA = _words(
    "Holding Service Supply Teknik Invest Fastigheter Group International Logistik Partner "
    "Försäljning Produktion Konsult Consulting Distribution"
)

FOREIGN_SURNAMES = {
    "DE": "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer "
    "Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Krüger Hofmann "
    "Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Köhler Herrmann König Walter",
    "FI": "Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen "
    "Järvinen Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen "
    "Turunen Salo Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen",
    "DK": "Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
    "Jørgensen Petersen Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller "
    "Mortensen Knudsen Jakobsen Mikkelsen Frederiksen Laursen Henriksen Lund Schmidt Eriksen",
    "NO": "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen "
    "Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl "
    "Jørgensen Halvorsen Henriksen Lund Sørensen Moen Gundersen Iversen Strand Solberg",
    "NL": "Jansen Vries Berg Dijk Bakker Janssen Visser Smit Meijer Boer Mulder Groot Bos "
    "Vos Peters Hendriks Leeuwen Dekker Brouwer Wit Dijkstra Smits Graaf Meer Linden Kok "
    "Jacobs Haan Vermeulen Heuvel Veen Broek Bruijn",
    "GB": "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
    "Evans Walker White Roberts Green Hall Wood Jackson Clarke Harris Lewis Martin Cooper King "
    "Baker Turner Hill Morris Ward Moore Clark Allen Scott Young Mitchell",
    "US": "Smith Johnson Williams Brown Jones Miller Davis Garcia Rodriguez Wilson Martinez "
    "Anderson Taylor Thomas Hernandez Moore Martin Jackson Thompson White Lopez Lee Gonzalez "
    "Harris Clark Lewis Robinson Walker Perez Hall Young Allen",
    "FR": "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier",
    "IT": "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo "
    "Conti Costa Giordano Mancini Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani",
    "PL": "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
    "Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski",
    "IN": "Sharma Patel Gupta Singh Kumar Mehta Shah Reddy Iyer Agarwal Jain Desai Kapoor "
    "Malhotra Bansal Chopra Joshi Nair Rao Verma Banerjee Chatterjee Pillai Menon Saxena",
    "PK": "Ahmed Khan Malik Butt Chaudhry Qureshi Sheikh Raza Iqbal Hussain Akhtar Anwar "
    "Rashid Aslam Javed Nadeem Shafiq Tariq Yousaf Zafar Bashir Hameed Latif Saleem",
}
TRADE_WORDS = {
    "DE": "Medizintechnik Labortechnik Krankenhausbedarf Orthopädietechnik Dentalbedarf "
    "Verbandstoffe Hygiene Elektronik Maschinenbau Kunststofftechnik Diagnostika Chirurgie "
    "Feinmechanik Sanitätshaus Rehatechnik Textil Logistik Druck",
    "FI": "Lääkintä Terveys Hoito Kone Tekniikka Palvelu Laboratorio Hammas Apteekki Tukku "
    "Kuljetus Rakennus Sähkö Muovi Paino Siivous Optiikka",
    "PK": "Surgical Instruments Surgicals Dental Beauty Scissors Forceps Medico Steel Cutlery",
}
PINYIN = _words(
    "Hua Xin Kang Jin Long Tai Feng Sheng Da Mei Heng Yuan Tong Rui Bao An Li Guang Hong Tian "
    "Ming Hai Wei Jia Xing Fu Cheng Yu Kai Bo Chang Hui De Run Sen Yi Zhong Bang Jie Qi"
)
CN_CITIES = _words(
    "Shenzhen Guangzhou Shanghai Ningbo Jiangsu Zhejiang Hangzhou Suzhou Xiamen Qingdao "
    "Tianjin Beijing Wuhan Dongguan Foshan Changzhou Wuxi Nanjing Hefei Anhui Shandong"
)
SEA_SYLLABLES = {
    "MY": "Har Ta Le Ga Kos San Ri Ve Ma Sri Ja Ya Ma Ju Mak Mur Si Nar Per Da Ha Ti Bu Mi",
    "VN": "Viet Minh Phat Thanh Hoang Long An Phu Tan Hung Dai Nam Sai Gon Ha Noi Kim Bao Quoc",
    "TH": "Siam Thai Sri Chai Wat Tana Cha Roen Pat Ta Na Rat Krung Sa Mut Pra Kan Bang Rak",
}

# Legal forms: (form code, renderings with weights). A rendering starting with "^" goes
# before the name; "" drops the form.
LEGAL_RENDERINGS: dict[str, tuple[tuple[str, int], ...]] = {
    "AB": (
        ("AB", 60),
        ("Aktiebolag", 8),
        ("Aktiebolaget", 2),
        ("AB (publ)", 2),
        ("A.B.", 1),
        ("Ab", 3),
        ("", 17),
        ("^AB", 4),
        ("^Aktiebolaget", 3),
    ),
    "HB": (("HB", 70), ("Handelsbolag", 15), ("", 15)),
    "KB": (("KB", 70), ("Kommanditbolag", 15), ("", 15)),
    "EK": (("ek. för.", 50), ("Ekonomisk förening", 30), ("", 20)),
    "GMBH": (("GmbH", 75), ("G.m.b.H.", 3), ("Gmbh", 5), ("mbH", 2), ("", 15)),
    "AG": (("AG", 80), ("Aktiengesellschaft", 5), ("", 15)),
    "KG": (("GmbH & Co. KG", 60), ("GmbH & Co KG", 15), ("GmbH u. Co. KG", 5), ("", 20)),
    "OY": (("Oy", 70), ("OY", 5), ("Oy Ab", 5), ("Ltd", 3), ("", 12), ("^Oy", 5)),
    "OYJ": (("Oyj", 80), ("", 20)),
    "AS_NO": (("AS", 75), ("A/S", 5), ("A.S.", 3), ("", 17)),
    "ASA": (("ASA", 80), ("", 20)),
    "AS_DK": (("A/S", 70), ("AS", 10), ("A.S.", 3), ("", 17)),
    "APS": (("ApS", 75), ("Aps", 10), ("", 15)),
    "BV": (("B.V.", 55), ("BV", 25), ("B.V", 5), ("", 15)),
    "NV": (("N.V.", 60), ("NV", 25), ("", 15)),
    "LTD": (("Ltd", 55), ("Ltd.", 15), ("Limited", 15), ("", 15)),
    "PLC": (("PLC", 60), ("plc", 20), ("Public Limited Company", 5), ("", 15)),
    "INC": (("Inc.", 50), ("Inc", 20), ("Incorporated", 10), (", Inc.", 5), ("", 15)),
    "CORP": (("Corp.", 40), ("Corporation", 40), ("", 20)),
    "LLC": (("LLC", 70), ("L.L.C.", 10), ("", 20)),
    "SAS": (("SAS", 70), ("S.A.S.", 15), ("", 15)),
    "SARL": (("SARL", 65), ("S.A.R.L.", 15), ("", 20)),
    "SA": (("SA", 60), ("S.A.", 25), ("", 15)),
    "SRL": (("S.r.l.", 55), ("Srl", 20), ("SRL", 10), ("", 15)),
    "SPA": (("S.p.A.", 60), ("SpA", 20), ("S.P.A.", 5), ("", 15)),
    "SPZOO": (("Sp. z o.o.", 60), ("Sp. z o. o.", 10), ("sp. z o.o.", 10), ("", 20)),
    "CN_LTD": (
        ("Co., Ltd.", 40),
        ("Co., Ltd", 15),
        ("Co. Ltd", 10),
        ("Co.,Ltd.", 10),
        ("Company Limited", 10),
        ("Ltd", 5),
        ("", 10),
    ),
    "IN_PVT": (
        ("Pvt. Ltd.", 40),
        ("Pvt Ltd", 20),
        ("Private Limited", 20),
        ("(P) Ltd", 5),
        ("", 15),
    ),
    "PK_PVT": (("(Pvt) Ltd", 50), ("(Pvt.) Ltd.", 15), ("Pvt Ltd", 15), ("", 20)),
    "SDN": (("Sdn. Bhd.", 50), ("Sdn Bhd", 30), ("SDN BHD", 5), ("", 15)),
    "VN_LTD": (
        ("Co., Ltd", 40),
        ("Company Limited", 30),
        ("Co. Ltd", 10),
        ("", 10),
        ("^Cong ty TNHH", 10),
    ),
    "TH_LTD": (("Co., Ltd.", 50), ("Company Limited", 30), ("Co. Ltd.", 5), ("", 15)),
}
# Legal forms used per country, with weights.
COUNTRY_FORMS: dict[str, tuple[tuple[str, int], ...]] = {
    "SE": (("AB", 90), ("HB", 4), ("KB", 2), ("EK", 4)),
    "DE": (("GMBH", 75), ("AG", 10), ("KG", 15)),
    "FI": (("OY", 90), ("OYJ", 10)),
    "DK": (("AS_DK", 70), ("APS", 30)),
    "NO": (("AS_NO", 90), ("ASA", 10)),
    "NL": (("BV", 90), ("NV", 10)),
    "GB": (("LTD", 90), ("PLC", 10)),
    "FR": (("SAS", 50), ("SARL", 30), ("SA", 20)),
    "IT": (("SRL", 75), ("SPA", 25)),
    "PL": (("SPZOO", 100),),
    "CN": (("CN_LTD", 100),),
    "IN": (("IN_PVT", 100),),
    "PK": (("PK_PVT", 100),),
    "MY": (("SDN", 100),),
    "VN": (("VN_LTD", 100),),
    "TH": (("TH_LTD", 100),),
    "US": (("INC", 60), ("CORP", 15), ("LLC", 25)),
}
ALTERNATIVE_FORM = {"AB": "HB", "HB": "AB", "KB": "AB", "EK": "AB", "GMBH": "AG", "AG": "GMBH"}
ALTERNATIVE_FORM |= {"INC": "LLC", "LLC": "INC", "CORP": "INC", "LTD": "PLC", "PLC": "LTD"}
ALTERNATIVE_FORM |= {"AS_DK": "APS", "APS": "AS_DK", "OY": "OYJ", "AS_NO": "ASA"}

# Abbreviations regions use; the normaliser knows only a few of them.
ABBREVIATIONS = {
    "International": ("Intl", "Int'l", "Int."),
    "Medical": ("Med.", "Med"),
    "Technology": ("Tech", "Tech."),
    "Technologies": ("Tech", "Techn."),
    "Laboratories": ("Labs", "Lab."),
    "Manufacturing": ("Mfg",),
    "Brothers": ("Bros",),
    "Bröderna": ("Br.", "Bröd."),
    "Sverige": ("Sv.",),
    "Scandinavia": ("Scand.",),
    "Services": ("Serv.",),
    "Instruments": ("Instr.",),
    "Equipment": ("Equip.",),
    "Products": ("Prod.",),
    "Healthcare": ("Health Care", "H.care"),
    "Konsult": ("Kons.",),
    "Teknik": ("Tekn.",),
    "Medicinteknik": ("Med.teknik", "Medicintekn."),
    "Company": ("Co",),
}
CITIES = ("Göteborg", "Malmö", "Stockholm", "Umeå", "Lund", "Kista", "Solna", "Mölndal")
KEYBOARD_NEIGHBOURS = {
    row[i]: row[max(i - 1, 0)] + row[i + 1 : i + 2]
    for row in ("qwertyuiopå", "asdfghjklöä", "zxcvbnm")
    for i in range(len(row))
}


@dataclass(frozen=True, slots=True)
class TrueSupplier:
    """One real company of the generated truth."""

    id: int
    country: str
    words: tuple[str, ...]
    form: str
    org_number: str
    vat_number: str
    alt_id: str
    sibling_of: int | None = None
    sibling_kind: str = ""

    @property
    def name(self) -> str:
        """Return the registered name: the words and the legal form's main rendering."""
        rendering = LEGAL_RENDERINGS[self.form][0][0]
        return " ".join((*self.words, rendering))


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a regional register, with the true supplier it belongs to."""

    record: SupplierRecord
    supplier_id: int
    region: str


@dataclass(frozen=True, slots=True)
class Dataset:
    """The generated truth and the 21 regional registers, concatenated."""

    suppliers: list[TrueSupplier]
    rows: list[Row]


@cache
def _cumulative(options: tuple[tuple[str, int], ...]) -> tuple[tuple[str, ...], list[int]]:
    values, weights = zip(*options, strict=True)
    return values, list(itertools.accumulate(weights))


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    values, cumulative = _cumulative(options)
    return rng.choices(values, cum_weights=cumulative)[0]


class _Generator:
    """Build the truth and the registers; all randomness comes from one ``random.Random``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_names: set[tuple[str, str]] = set()
        self.used_ids: set[str] = set()

    # Identifiers ---------------------------------------------------------------------------

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value and value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def _digits(self, count: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(count))

    def swedish_org_number(self, form: str) -> str:
        """Return a valid organisation number; the first digits follow the legal form."""
        head = {"AB": self.rng.choice(("556", "559")), "EK": "769"}.get(form, "969")

        def make() -> str:
            return _luhn(head + self._digits(6))

        return self._unique(make)

    def _with_check_digit(
        self, body_length: int, is_valid: Callable[[str], bool], prefix: str = ""
    ) -> str:
        """Return a number whose last digit makes ``is_valid`` true (retrying the body)."""
        while True:
            body = prefix + self._digits(body_length)
            for digit in string.digits:
                if is_valid(body + digit):
                    return body + digit

    def foreign_ids(self, country: str) -> tuple[str, str, str]:
        """Return (national id, VAT number, alternative id) for a foreign supplier."""
        rng = self.rng
        if country in EU_VAT_COUNTRIES:
            if country == "FI":
                number = self._unique(lambda: self._with_check_digit(7, fi_ytunnus.is_valid))
                return f"{number[:7]}-{number[7:]}", f"FI{number}", ""
            if country == "DK":
                number = self._unique(lambda: self._with_check_digit(6, dk_cvr.is_valid, "2"))
                return number, f"DK{number}", ""
            if country == "NL":
                vat = self._unique(
                    lambda: self._with_check_digit(8, lambda v: nl_btw.is_valid(f"{v}B01")) + "B01"
                )
            elif country == "FR":
                vat = self._unique(self._fr_vat)
            elif country == "IT":
                # 7-digit company number, a valid office code, then a Luhn check digit.
                vat = self._unique(
                    lambda: _luhn(f"{rng.randrange(1, 10**7):07d}{rng.randint(1, 100):03d}")
                )
            elif country == "DE":
                vat = self._unique(lambda: self._with_check_digit(7, de_vat.is_valid, "1"))
            else:
                vat = self._unique(lambda: self._with_check_digit(8, pl_nip.is_valid, "1"))
            return "", f"{country}{vat}", self._unique(lambda: f"{rng.randrange(10**8, 10**9)}")
        if country == "NO":
            number = self._unique(lambda: self._with_check_digit(7, no_orgnr.is_valid, "9"))
            return number, f"NO{number}MVA", ""
        if country == "GB":
            vat = self._unique(lambda: self._with_check_digit(8, gb_vat.is_valid, ""))
            return f"{rng.randrange(10**6, 10**8):08d}", f"GB{vat}", ""
        national = {
            "US": lambda: f"{self._digits(2)}-{self._digits(7)}",
            "CN": lambda: "9144" + "".join(rng.choices(string.digits + "ABCDEFGH", k=14)),
            "IN": lambda: (
                f"{rng.randrange(10, 37)}AA{rng.choice('ABCF')}"
                f"{''.join(rng.choices(string.ascii_uppercase, k=2))}{self._digits(4)}"
                f"{rng.choice(string.ascii_uppercase)}1Z{rng.choice(string.digits)}"
            ),
            "PK": lambda: f"{self._digits(7)}-{self._digits(1)}",
            "MY": lambda: f"20{self._digits(10)}",
            "VN": lambda: f"0{self._digits(9)}",
            "TH": lambda: f"0{self._digits(12)}",
        }[country]
        duns = self._unique(lambda: f"{rng.randrange(10**8, 10**9)}")
        return self._unique(national), "", duns

    def _fr_vat(self) -> str:
        siren = _luhn(f"{self.rng.randrange(10**7, 10**8)}")
        key = (12 + 3 * (int(siren) % 97)) % 97
        return f"{key:02d}{siren}"

    # Names ---------------------------------------------------------------------------------

    def brand(self) -> str:
        rng = self.rng
        return (rng.choice(BRAND_HEADS) + rng.choice(BRAND_MIDS) + rng.choice(BRAND_TAILS)).title()

    def syllables(self, pool: str, count: int) -> str:
        return "".join(self.rng.choice(pool.split()) for _ in range(count)).title()

    def swedish_words(self) -> list[str]:
        rng = self.rng
        pattern = rng.choices(range(9), (20, 15, 15, 10, 8, 7, 10, 10, 5))[0]
        surname = rng.choice(SE_SURNAMES)
        trade = rng.choice(SE_TRADES)
        if pattern == 0:
            return [surname + rng.choice(("", "s")), trade]
        if pattern == 1:
            return [self.brand()]
        if pattern == 2:
            return [self.brand(), *rng.sample(GENERIC, rng.choice((1, 1, 2)))]
        if pattern == 3:
            return [rng.choice(SE_PLACES), trade]
        if pattern == 4:
            return rng.choice(
                (
                    ["Bröderna", surname],
                    [surname, "&", "Söner"],
                    [surname, "&", rng.choice(SE_SURNAMES)],
                )
            )
        if pattern == 5:
            letters = "".join(rng.choices("ABCDEFGHJKLMNOPRSTUVW", k=rng.choice((2, 3))))
            return [letters, rng.choice((trade, rng.choice(GENERIC)))]
        if pattern == 6:
            head = rng.choice(("Nordic", "Scandinavian", "Svensk", "Svenska", "Nordisk"))
            return [head, *rng.sample(GENERIC, 2)]
        if pattern == 7:
            words = [rng.choice(INTL_BRANDS)]
            if rng.random() < 0.6:
                words.append(rng.choice(GENERIC))
            return [*words, rng.choice(GEO_WORDS)]
        return [rng.choice(SE_FIRST_NAMES), surname, trade]

    def foreign_words(self, country: str) -> list[str]:
        rng = self.rng
        generic = rng.choice(GENERIC)
        if country == "CN":
            words = [rng.choice(CN_CITIES), self.syllables(" ".join(PINYIN), 2)]
            return words + rng.sample(GENERIC, rng.choice((1, 2, 2)))
        if country in SEA_SYLLABLES:
            return [self.syllables(SEA_SYLLABLES[country], rng.choice((2, 3))), generic]
        surnames = FOREIGN_SURNAMES.get(country, FOREIGN_SURNAMES["GB"]).split()
        trades = TRADE_WORDS.get(country, " ".join(GENERIC)).split()
        pattern = rng.choices(range(4), (40, 30, 15, 15))[0]
        if pattern == 0:
            return [rng.choice(surnames), rng.choice(trades)]
        if pattern == 1:
            return [self.brand(), rng.choice(trades)]
        if pattern == 2:
            return [rng.choice(surnames), "&", rng.choice(surnames)]
        return [self.brand()]

    def register(self, country: str, words: list[str]) -> bool:
        """Reserve a name; false if the country already has a company of that name."""
        key = (country, " ".join(words).casefold())
        if key in self.used_names:
            return False
        self.used_names.add(key)
        return True

    def supplier(
        self,
        sid: int,
        country: str,
        words: list[str],
        form: str,
        sibling_of: int | None = None,
        kind: str = "",
    ) -> TrueSupplier:
        if country == "SE":
            org = self.swedish_org_number(form)
            return TrueSupplier(
                sid, country, tuple(words), form, org, f"SE{org}01", "", sibling_of, kind
            )
        national, vat, alt = self.foreign_ids(country)
        return TrueSupplier(sid, country, tuple(words), form, national, vat, alt, sibling_of, kind)

    def base_supplier(self, sid: int) -> TrueSupplier:
        rng = self.rng
        country = _weighted(rng, tuple(COUNTRY_WEIGHTS.items()))
        while True:
            words = self.swedish_words() if country == "SE" else self.foreign_words(country)
            if self.register(country, words):
                break
        return self.supplier(sid, country, words, _weighted(rng, COUNTRY_FORMS[country]))

    def sibling(self, sid: int, of: TrueSupplier) -> TrueSupplier | None:
        """Return a different company with a name confusable with ``of``'s, or None."""
        rng = self.rng
        kind = rng.choices(
            ("one_edit", "word_swap", "extra_word", "other_country", "other_form"),
            (35, 20, 15, 20, 10),
        )[0]
        words = list(of.words)
        country, form = of.country, of.form
        if kind == "one_edit":
            index = max(range(len(words)), key=lambda i: len(words[i]))
            if len(words[index]) < 4:
                return None
            words[index] = _typo(rng, words[index], allow_transpose=False)
        elif kind == "word_swap":
            index = rng.randrange(len(words))
            word = words[index]
            pools = (SE_TRADES, SE_SURNAMES, GENERIC, SE_PLACES, INTL_BRANDS)
            pool = next((pool for pool in pools if word in pool), None)
            words[index] = rng.choice(pool) if pool else self.brand()
        elif kind == "extra_word":
            words.append(rng.choice(SIBLING_EXTRA))
        elif kind == "other_country":
            country = rng.choice([c for c in COUNTRY_WEIGHTS if c != of.country])
            form = _weighted(rng, COUNTRY_FORMS[country])
        else:
            if form not in ALTERNATIVE_FORM:
                return None
            form = ALTERNATIVE_FORM[form]
            # Same words, same country: only the legal form and identifiers tell them apart.
            return self.supplier(sid, country, words, form, of.id, kind)
        if not self.register(country, words):
            return None
        return self.supplier(sid, country, words, form, of.id, kind)

    # Rows ----------------------------------------------------------------------------------

    def region_count(self) -> int:
        rng = self.rng
        bucket = rng.choices(range(7), (46, 14, 8, 12, 10, 6, 4))[0]
        return (1, 2, 3, rng.randint(4, 6), rng.randint(7, 12), rng.randint(13, 20), 21)[bucket]

    def row_name(self, supplier: TrueSupplier) -> str:
        """Return a region's spelling of the supplier's name."""
        rng = self.rng
        words = list(supplier.words)
        if supplier.country == "CN" and len(words) > 2 and rng.random() < 0.05:
            words = words[1:]  # the city prefix dropped
        if len(words) > 1 and words[-1] in GEO_WORDS and rng.random() < 0.45:
            if rng.random() < 0.65:
                words.pop()
            else:
                words[-1] = rng.choice(GEO_WORDS)
        elif supplier.country == "SE" and rng.random() < 0.02:
            words.append(rng.choice(GEO_WORDS[:2]))
        if "&" in words and rng.random() < 0.4:
            index = words.index("&")
            words[index] = rng.choice(("och", "and", "+", "o."))
        if rng.random() < 0.08:
            candidates = [i for i, word in enumerate(words) if word in ABBREVIATIONS]
            if candidates:
                index = rng.choice(candidates)
                words[index] = rng.choice(ABBREVIATIONS[words[index]])
        if len(words) >= 2 and rng.random() < 0.04:
            index = rng.randrange(len(words) - 1)
            words[index], words[index + 1] = words[index + 1], words[index]
        if len(words) >= 2 and rng.random() < 0.03:
            index = rng.randrange(len(words) - 1)
            joiner = rng.choice(("", "-"))
            words[index : index + 2] = [words[index] + joiner + words[index + 1]]
        typos = rng.choices((0, 1, 2), (87, 10, 3))[0]
        for _ in range(typos):
            index = rng.randrange(len(words))
            if len(words[index]) >= 3:
                words[index] = _typo(rng, words[index])
        rendering = _weighted(rng, LEGAL_RENDERINGS[supplier.form])
        if rendering.startswith("^"):
            words.insert(0, rendering[1:])
        elif rendering.startswith(","):
            words[-1] += ","
            words.append(rendering[1:].strip())
        elif rendering:
            words.append(rendering)
        if rng.random() < 0.02:
            words.append(f"({rng.choice(CITIES)})")
        name = " ".join(words)
        if not name.isascii():
            roll = rng.random()
            if roll < 0.25:
                name = _strip_diacritics(name)
            elif roll < 0.30:
                name = _transliterate(name)
        roll = rng.random()
        if roll < 0.25:
            name = name.upper()
        elif roll < 0.30:
            name = name.lower()
        elif roll < 0.35:
            name = name.title()
        if rng.random() < 0.03:
            name = rng.choice((f" {name}", f"{name} ", name.replace(" ", "  ", 1), f"{name}."))
        return name

    def row_ids(self, supplier: TrueSupplier) -> tuple[str, str]:
        """Return a region's (org number, VAT number) for the supplier."""
        rng = self.rng
        roll = rng.random()
        if supplier.country == "SE":
            org = supplier.org_number
            if roll < 0.015:
                return "", ""
            if roll < 0.025:
                return _typo_digits(rng, org), ""
            if roll < 0.105:
                return "", _format_vat(rng, supplier.vat_number)
            if roll < 0.125:
                return supplier.vat_number, ""
            written = rng.choices(
                (f"{org[:6]}-{org[6:]}", org, f"{org[:6]} {org[6:]}", f"16{org[:6]}-{org[6:]}"),
                (70, 24, 3, 3),
            )[0]
            vat = supplier.vat_number if rng.random() < 0.15 else ""
            return written, vat
        if supplier.vat_number and supplier.country != "GB":
            # EU suppliers and Norwegian ones: VAT numbers are needed for reverse charge.
            if roll < 0.80:
                return "", _format_vat(rng, supplier.vat_number)
            if roll < 0.88 and supplier.org_number:
                return supplier.org_number, ""
            if roll < 0.92:
                return _format_vat(rng, supplier.vat_number), ""
            if roll < 0.94 and supplier.alt_id:
                return supplier.alt_id, ""
            return "", ""
        if supplier.country == "GB":
            if roll < 0.65:
                return "", _format_vat(rng, supplier.vat_number)
            if roll < 0.80:
                return supplier.org_number, ""
            return "", ""
        # Outside Europe: a national id that cannot be checked, a DUNS number, or nothing.
        if roll < 0.50:
            national = supplier.org_number
            if rng.random() < 0.3:
                national = national.replace("-", " ") if "-" in national else national.lower()
            return national, ""
        if roll < 0.60:
            return supplier.alt_id, ""
        return "", ""


def _luhn(body: str) -> str:
    """Return ``body`` with its Luhn check digit appended."""
    return body + luhn.calc_check_digit(body)


def _typo(rng: random.Random, word: str, *, allow_transpose: bool = True) -> str:
    """Return ``word`` with one typing error (substitution, deletion, insertion, swap)."""
    ops = ["substitute", "delete", "insert"] + (["transpose"] if allow_transpose else [])
    op = rng.choice(ops)
    i = rng.randrange(len(word))
    if op == "substitute":
        lower = word[i].lower()
        choices = KEYBOARD_NEIGHBOURS.get(lower) or "aeiou"
        new = rng.choice([ch for ch in choices if ch != lower] or ["e"])
        return word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]
    if op == "delete" and len(word) > 3:
        return word[:i] + word[i + 1 :]
    if op == "transpose" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[: i + 1] + word[i] + word[i + 1 :]


def _typo_digits(rng: random.Random, number: str) -> str:
    """Return ``number`` with one digit changed, as typed into a register."""
    i = rng.randrange(len(number))
    digit = rng.choice([d for d in string.digits if d != number[i]])
    return number[:i] + digit + number[i + 1 :]


def _format_vat(rng: random.Random, vat: str) -> str:
    """Return a VAT number in one of the ways registers write it."""
    roll = rng.random()
    if roll < 0.65:
        return vat
    if roll < 0.80:
        return f"{vat[:2]} {vat[2:]}"
    if roll < 0.90:
        return vat.lower()
    return vat[2:] if not vat.startswith("SE") else f"SE {vat[2:8]}-{vat[8:]}"


_PLAIN = str.maketrans("åäöÅÄÖøØæÆüÜéÉ", "aaoAAOoOaAuUeE")
_TRANSLIT = str.maketrans(
    {"å": "aa", "ä": "ae", "ö": "oe", "Å": "Aa", "Ä": "Ae", "Ö": "Oe", "ü": "ue", "ø": "oe"}
)


def _strip_diacritics(name: str) -> str:
    return name.translate(_PLAIN)


def _transliterate(name: str) -> str:
    return name.translate(_TRANSLIT)


def generate(n_suppliers: int = 20_000, seed: int = 2025) -> Dataset:
    """Return the truth and the 21 regional registers for ``n_suppliers`` true suppliers."""
    gen = _Generator(seed)
    rng = gen.rng
    suppliers: list[TrueSupplier] = []
    while len(suppliers) < n_suppliers:
        sid = len(suppliers)
        made = None
        if suppliers and rng.random() < 0.13:
            made = gen.sibling(sid, rng.choice(suppliers))
        suppliers.append(made or gen.base_supplier(sid))
    rows: list[Row] = []
    counters = dict.fromkeys(REGIONS, 0)
    region_codes = list(REGIONS)
    for supplier in suppliers:
        for region in rng.sample(region_codes, gen.region_count()):
            for _ in range(2 if rng.random() < 0.05 else 1):
                counters[region] += 1
                org, vat = gen.row_ids(supplier)
                # Some regions leave the country of Swedish suppliers blank.
                country = supplier.country
                if country == "SE" and rng.random() < 0.03:
                    country = ""
                record = SupplierRecord(
                    key=f"{region}-{counters[region]:06d}",
                    name=gen.row_name(supplier),
                    country=country,
                    org_number=org,
                    vat_number=vat,
                )
                rows.append(Row(record, supplier.id, region))
    return Dataset(suppliers, rows)
