"""The open-data catalogue conforms to the DCAT-AP 3.0.0 shapes and lists every file."""

from pathlib import Path

import pytest
from django.conf import settings
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from hallbar.reporting.opendata import DATASETS
from hallbar.reporting.tests.public_world import make_public_world

pytestmark = pytest.mark.django_db

SHAPES = Path(settings.BASE_DIR) / "referencedata" / "dcat-ap" / "dcat-ap-3.0.0-SHACL.ttl"


@pytest.fixture
def catalogue(cast, client):
    make_public_world(cast)
    response = client.get("/datasets/dcat")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rdf+xml")
    return response.content


def test_catalogue_conforms_to_the_dcat_ap_shapes(catalogue):
    conforms, _graph, text = validate(
        catalogue.decode(),
        shacl_graph=str(SHAPES),
        data_graph_format="xml",
        shacl_graph_format="turtle",
        inference="none",
    )
    assert conforms, text


def test_the_shapes_find_what_digg_examples_lack():
    """The check is not vacuous: DIGG's mandatory example lacks the classes and fails."""
    example = SHAPES.parent / "dcat-ap-se-example-mandatory.ttl"
    conforms, _graph, text = validate(
        str(example), shacl_graph=str(SHAPES), data_graph_format="turtle", inference="none"
    )
    assert not conforms and "Violation" in text


def test_catalogue_has_one_dataset_per_file_with_both_distributions(catalogue):
    graph = Graph().parse(data=catalogue, format="xml")
    base = settings.HALLBAR_BASE_URL
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogues == [URIRef(f"{base}/datasets/dcat")]
    publisher = graph.value(catalogues[0], DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, FOAF.name) == Literal(
        "Regionernas kansli för hållbar upphandling", lang="sv"
    )
    datasets = set(graph.objects(catalogues[0], DCAT.dataset))
    assert len(datasets) == len(DATASETS)
    for dataset in datasets:
        titles = {title.language for title in graph.objects(dataset, DCTERMS.title)}
        assert titles == {"sv", "en"}
        assert graph.value(dataset, DCAT.contactPoint) is not None
        assert graph.value(dataset, DCTERMS.temporal) is not None
        assert graph.value(dataset, DCAT.theme) == URIRef(
            "http://publications.europa.eu/resource/authority/data-theme/GOVE"
        )
        downloads = {
            str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset, DCAT.distribution)
        }
        name = str(dataset).rsplit("#", 1)[1]
        assert downloads == {f"{base}/datasets/{name}.csv", f"{base}/datasets/{name}.json"}
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert graph.value(distribution, DCTERMS.license) == URIRef(
                "https://creativecommons.org/licenses/by/4.0/"
            )
