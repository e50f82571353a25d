"""Fixtures for the requirement library: the demo library and one draft of each kind."""

from dataclasses import dataclass

import pytest

from hallbar.demo.testing import requirement_library
from hallbar.requirements.models import CodeOfConduct, ContractClause, Criterion
from hallbar.requirements.services import start_new_version


@dataclass
class Library:
    code_v1: CodeOfConduct
    code_v2: CodeOfConduct
    clause_2021: ContractClause
    clause_2024: ContractClause
    tex_v1: Criterion
    tex_v2: Criterion
    criterion_draft: Criterion  # HU-LAK-01, never published


@pytest.fixture
def library(cast) -> Library:
    requirement_library()
    return Library(
        code_v1=CodeOfConduct.objects.get(version=1),
        code_v2=CodeOfConduct.objects.get(version=2),
        clause_2021=ContractClause.objects.get(version=2021),
        clause_2024=ContractClause.objects.get(version=2024),
        tex_v1=Criterion.objects.get(identifier="HU-TEX-01", version=1),
        tex_v2=Criterion.objects.get(identifier="HU-TEX-01", version=2),
        criterion_draft=Criterion.objects.get(identifier="HU-LAK-01"),
    )


@dataclass
class Drafts:
    code: CodeOfConduct
    clause: ContractClause
    criterion: Criterion


@pytest.fixture
def drafts(library, cast) -> Drafts:
    return Drafts(
        code=start_new_version(library.code_v2, acting_user=cast.secretariat),
        clause=start_new_version(library.clause_2024, acting_user=cast.secretariat),
        criterion=library.criterion_draft,
    )
