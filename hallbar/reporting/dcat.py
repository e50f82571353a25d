"""The open-data catalogue in DCAT-AP-SE (RDF/XML), served at `/datasets/dcat` for
Sweden's data portal (dataportal.se), which harvests it once a day.

One `dcat:Dataset` per open-data file (`reporting/opendata.DATASETS`), each with a CSV and a
JSON distribution, the licence (CC BY 4.0), the secretariat as publisher, a contact point, the
EU data theme "Government and public sector", and the years it covers. IRIs are absolute, from
`HALLBAR_BASE_URL`, so they are the same whoever fetches the catalogue.

The DCAT-AP 3.0.0 shapes check the class of every linked node, and the EU vocabularies are not
loaded when validating: so the catalogue states the class of what it links to (licence, theme,
concept scheme, language, formats, media types, contact point, publisher), unlike DIGG's
examples (`referencedata/dcat-ap/README.md`).
"""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from hallbar.followups.models import FollowUp
from hallbar.reporting.opendata import DATASETS, FORMATS, LICENCE_URL, PUBLISHER, Dataset

EU = "http://publications.europa.eu/resource/authority/"
THEME_SCHEME = URIRef(f"{EU}data-theme")
THEME = URIRef(f"{EU}data-theme/GOVE")  # Government and public sector
LANGUAGES = (URIRef(f"{EU}language/SWE"), URIRef(f"{EU}language/ENG"))
FILE_TYPES = {"csv": URIRef(f"{EU}file-type/CSV"), "json": URIRef(f"{EU}file-type/JSON")}
MEDIA_TYPES = {
    kind: URIRef(f"http://www.iana.org/assignments/media-types/{media}")
    for kind, media in FORMATS.items()
}
SWEDEN = URIRef(f"{EU}country/SWE")
ACCESS_PUBLIC = URIRef(f"{EU}access-right/PUBLIC")
FREQUENCY = URIRef(f"{EU}frequency/DAILY")
PUBLISHER_TYPE = URIRef("http://purl.org/adms/publishertype/RegionalAuthority")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
AVAILABILITY = DCATAP["availability/stable"]
ISSUED = date(2026, 1, 1)  # the day the open data was first published


def _base() -> str:
    return settings.HALLBAR_BASE_URL


def _both(graph: Graph, subject, predicate, text) -> None:
    """Add text (a lazy translation) in Swedish and English."""
    for language in ("sv", "en"):
        with override(language):
            graph.add((subject, predicate, Literal(str(text), lang=language)))


def _period(graph: Graph, years: list[int]):
    node = BNode()
    graph.add((node, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((node, DCAT.startDate, Literal(date(min(years), 1, 1), datatype=XSD.date)))
    graph.add((node, DCAT.endDate, Literal(date(max(years), 12, 31), datatype=XSD.date)))
    return node


def _modified() -> date:
    """The last day data behind the files changed (a follow-up's last change)."""
    latest = FollowUp.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return timezone.localtime(latest).date() if latest else timezone.localdate()


def _dataset(graph: Graph, dataset: Dataset, *, publisher, contact, licence, modified) -> URIRef:
    page = f"{_base()}{reverse('public:datasets')}"
    subject = URIRef(f"{page}#{dataset.name}")
    graph.add((subject, RDF.type, DCAT.Dataset))
    _both(graph, subject, DCTERMS.title, dataset.title)
    _both(graph, subject, DCTERMS.description, dataset.description)
    graph.add((subject, DCTERMS.identifier, Literal(str(subject))))
    graph.add((subject, DCTERMS.publisher, publisher))
    graph.add((subject, DCAT.contactPoint, contact))
    graph.add((subject, DCAT.theme, THEME))
    graph.add((subject, DCTERMS.accessRights, ACCESS_PUBLIC))
    graph.add((subject, DCTERMS.accrualPeriodicity, FREQUENCY))
    graph.add((subject, DCTERMS.spatial, SWEDEN))
    graph.add((subject, DCAT.landingPage, URIRef(page)))
    graph.add((subject, DCTERMS.issued, Literal(ISSUED, datatype=XSD.date)))
    graph.add((subject, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    for language in LANGUAGES:
        graph.add((subject, DCTERMS.language, language))
    for keyword in dataset.keywords:
        _both(graph, subject, DCAT.keyword, keyword)
    if years := dataset.years():
        graph.add((subject, DCTERMS.temporal, _period(graph, years)))
    for file_format in FORMATS:
        url = URIRef(dataset.url(file_format))
        distribution = URIRef(f"{url}#distribution")
        graph.add((subject, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(file_format.upper())))
        _both(graph, distribution, DCTERMS.description, dataset.title)
        graph.add((distribution, DCAT.accessURL, url))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((url, RDF.type, RDFS.Resource))
        graph.add((distribution, DCTERMS.format, FILE_TYPES[file_format]))
        graph.add((distribution, DCAT.mediaType, MEDIA_TYPES[file_format]))
        graph.add((distribution, DCTERMS.license, licence))
        graph.add((distribution, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
        graph.add((distribution, DCATAP.availability, AVAILABILITY))
    return subject


def catalogue_graph() -> Graph:
    """Return the catalogue as an rdflib graph."""
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("skos", SKOS),
        ("dcatap", DCATAP),
    ):
        graph.bind(prefix, namespace)
    base = _base()
    catalogue = URIRef(f"{base}{reverse('public:dcat')}")
    publisher = URIRef(f"{base}/#publisher")
    contact = URIRef(f"{base}/#contact")
    licence = URIRef(LICENCE_URL)
    modified = _modified()

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(PUBLISHER, lang="sv")))
    graph.add((publisher, DCTERMS.type, PUBLISHER_TYPE))
    graph.add((PUBLISHER_TYPE, RDF.type, SKOS.Concept))
    graph.add((PUBLISHER_TYPE, SKOS.prefLabel, Literal("Regional authority", lang="en")))
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(PUBLISHER)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.HALLBAR_OPEN_DATA_EMAIL}")))
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    graph.add((licence, DCTERMS.title, Literal("Creative Commons Attribution 4.0 International")))
    graph.add((THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.add((THEME_SCHEME, DCTERMS.title, Literal("Data theme", lang="en")))
    graph.add((AVAILABILITY, RDF.type, SKOS.Concept))
    graph.add((AVAILABILITY, SKOS.prefLabel, Literal("Stable", lang="en")))
    graph.add((THEME, RDF.type, SKOS.Concept))
    graph.add((THEME, SKOS.inScheme, THEME_SCHEME))
    graph.add((THEME, SKOS.prefLabel, Literal("Regeringen och den offentliga sektorn", lang="sv")))
    graph.add((THEME, SKOS.prefLabel, Literal("Government and public sector", lang="en")))
    graph.add((SWEDEN, RDF.type, DCTERMS.Location))
    graph.add((ACCESS_PUBLIC, RDF.type, DCTERMS.RightsStatement))
    graph.add((FREQUENCY, RDF.type, DCTERMS.Frequency))
    for language in LANGUAGES:
        graph.add((language, RDF.type, DCTERMS.LinguisticSystem))
    for file_format in FORMATS:
        graph.add((FILE_TYPES[file_format], RDF.type, DCTERMS.MediaTypeOrExtent))
        graph.add((MEDIA_TYPES[file_format], RDF.type, DCTERMS.MediaType))

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add(
        (catalogue, DCTERMS.title, Literal("Hållbar upphandling i Sveriges regioner", lang="sv"))
    )
    graph.add(
        (
            catalogue,
            DCTERMS.title,
            Literal("Sustainable procurement in Sweden's regions", lang="en"),
        )
    )
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                "Öppna data från regionernas nationella samarbete för hållbar upphandling: "
                "publicerade, anonymiserade resultat av leverantörsuppföljningar och årets "
                "nyckeltal.",
                lang="sv",
            ),
        )
    )
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                "Open data from the Swedish regions' national cooperation on sustainable "
                "procurement: published, anonymised results of supplier follow-ups and the "
                "year's key figures.",
                lang="en",
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.license, licence))
    graph.add((catalogue, FOAF.homepage, URIRef(f"{base}{reverse('public:datasets')}")))
    graph.add((URIRef(f"{base}{reverse('public:datasets')}"), RDF.type, FOAF.Document))
    graph.add((catalogue, DCTERMS.issued, Literal(ISSUED, datatype=XSD.date)))
    graph.add((catalogue, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    graph.add((catalogue, DCAT.themeTaxonomy, THEME_SCHEME))
    graph.add((catalogue, DCTERMS.spatial, SWEDEN))
    for language in LANGUAGES:
        graph.add((catalogue, DCTERMS.language, language))
    for dataset in DATASETS.values():
        subject = _dataset(
            graph, dataset, publisher=publisher, contact=contact, licence=licence, modified=modified
        )
        graph.add((catalogue, DCAT.dataset, subject))
    return graph


def catalogue_xml() -> bytes:
    """Return the catalogue in RDF/XML, the syntax the portal harvests."""
    return catalogue_graph().serialize(format="pretty-xml", encoding="utf-8")
