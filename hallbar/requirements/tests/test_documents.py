"""The Code of Conduct and the contract clause as PDF and Word files, in Swedish and English."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from hallbar.requirements.services import update_clause_draft

pytestmark = pytest.mark.django_db

SV_CODE, EN_CODE = "Uppförandekod för leverantörer", "Supplier Code of Conduct"
SV_CLAUSE = "Tillbörlig aktsamhet för hållbara leveranskedjor"
EN_CLAUSE = "Due diligence for sustainable supply chains"


def _url(kind: str, version, language: str, file_format: str) -> str:
    return reverse(f"requirements:{kind}-download", args=[version.public_id, language, file_format])


def _pdf_text(content: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(content)
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    pdf.close()
    return " ".join(text.split())


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode()
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def _text(response, file_format: str) -> str:
    return _pdf_text(response.content) if file_format == "pdf" else _docx_text(response.content)


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_the_published_code_and_clause_download_in_each_language_for_anyone(
    library, client, file_format
):
    # Given the published code and clause, and nobody signed in (tender documents are public)
    for kind, version, swedish, english in (
        ("code", library.code_v2, SV_CODE, EN_CODE),
        ("clause", library.clause_2024, SV_CLAUSE, EN_CLAUSE),
    ):
        # When each language is downloaded
        in_swedish = client.get(_url(kind, version, "sv", file_format))
        in_english = client.get(_url(kind, version, "en", file_format))
        # Then each is a file that opens and holds that language's text, not the other's
        for response in (in_swedish, in_english):
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment")
        sv_text, en_text = _text(in_swedish, file_format), _text(in_english, file_format)
        assert swedish in sv_text and english not in sv_text
        assert english in en_text and swedish not in en_text
        assert "Leverantören" not in en_text
    # the clause's process requirements are there in English
    en_clause = _text(
        client.get(_url("clause", library.clause_2024, "en", file_format)), file_format
    )
    assert "PR6 Grievance mechanism" in en_clause
    assert "Liquidated damages" in en_clause


def test_a_docx_is_a_word_document(library, client):
    response = client.get(_url("code", library.code_v2, "en", "docx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "[Content_Types].xml" in archive.namelist()
    assert response.content[:4] == b"PK\x03\x04"


def test_drafts_are_not_downloadable_by_the_public_nor_by_suppliers(drafts, client, cast):
    for kind, version in (("code", drafts.code), ("clause", drafts.clause)):
        url = _url(kind, version, "sv", "pdf")
        # the public and the outside parties get 404, as for a version that does not exist
        assert client.get(url).status_code == 404
        for who in (cast.dave, cast.charlie, cast.auditor):
            client.force_login(who)
            assert client.get(url).status_code == 404
        client.logout()
        # the secretariat reviews its draft as a file
        client.force_login(cast.secretariat)
        assert client.get(url).status_code == 200
        client.logout()


def test_a_missing_english_text_is_marked_never_filled_in_with_swedish(drafts, client, cast):
    # Given a draft whose PR6 has no English text at the advanced level
    rows = list(
        drafts.clause.process_requirements.values(
            "number",
            "title",
            "title_en",
            "basic_text",
            "basic_text_en",
            "advanced_text",
            "advanced_text_en",
        )
    )
    swedish = rows[5]["advanced_text"]
    rows[5]["advanced_text_en"] = ""
    update_clause_draft(drafts.clause, acting_user=cast.secretariat, process_requirements=rows)
    client.force_login(cast.secretariat)
    # When the English file and the English page are read
    text = _docx_text(client.get(_url("clause", drafts.clause, "en", "docx")).content)
    page = client.get(
        reverse("requirements:clause-detail", args=[drafts.clause.public_id]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    # Then both say the text is missing, in English, and neither shows the Swedish text
    assert "No English text yet" in text and swedish.split(",")[0] not in text
    assert "No English text yet" in page and swedish.split(",")[0] not in page


def test_the_detail_page_offers_the_downloads(library, client, cast):
    client.force_login(cast.dave)
    page = client.get(
        reverse("requirements:code-detail", args=[library.code_v2.public_id])
    ).content.decode()
    assert _url("code", library.code_v2, "en", "pdf") in page
    assert _url("code", library.code_v2, "sv", "docx") in page


def test_the_api_gives_the_english_texts_beside_the_swedish(library, client, cast):
    client.force_login(cast.dave)
    code = client.get(reverse("api:get_current_code")).json()
    assert code["title"] == SV_CODE and code["title_en"] == EN_CODE
    assert code["commitments"][0]["text_en"].startswith("The supplier respects human rights")
