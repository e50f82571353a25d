"""Public pages of reporting (no login), mounted at the site root by config/urls.py."""

from django.urls import path

from hallbar.reporting import public_views

app_name = "public"

urlpatterns = [
    path("results/figures/", public_views.figures, name="figures"),
    path("datasets/", public_views.datasets, name="datasets"),
    path("datasets/dcat", public_views.dcat, name="dcat"),
    path(
        "datasets/<slug:name>.<slug:file_format>",
        public_views.dataset_file,
        name="dataset-file",
    ),
]
