"""Risk models: data editions, category risk analyses, spend imports and screening runs."""

from hallbar.risk.models.analysis import LikelihoodAdjustment, MethodSettings, RiskAnalysis
from hallbar.risk.models.screening import DataEdition, ScreeningRow, ScreeningRun

__all__ = [
    "DataEdition",
    "LikelihoodAdjustment",
    "MethodSettings",
    "RiskAnalysis",
    "ScreeningRow",
    "ScreeningRun",
]
