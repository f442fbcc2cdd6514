# Sphinx configuration of the cvm documentation site.
#
# CMake (docs/CMakeLists.txt) assembles the source tree: docs/*.rst at the
# root, spec/ under spec/, Doxygen XML for Breathe, and a local copy of
# Debian's MathJax so math renders with no network access.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_ext"))

project = "cvm"
author = "the cvm developers"
copyright = "2026, the cvm developers"

extensions = ["sphinx.ext.mathjax", "breathe", "cvmspec"]

# Set by CMake through -D on the sphinx-build command line.
cvm_source_root = os.environ.get("CVM_SOURCE_ROOT", "")
breathe_projects = {"cvm": os.environ.get("CVM_DOXYGEN_XML", "")}
breathe_default_project = "cvm"
breathe_domain_by_extension = {"h": "cpp"}

# MathJax 2 from Debian's libjs-mathjax, copied into _static/mathjax by CMake.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS_CHTML"
html_static_path = ["_static"]

html_theme = "alabaster"
# page_width: the text column of the default 940px is narrower than the spec's
# tables and display equations; _static/custom.css makes what is still wider
# scroll in its own box.
html_theme_options = {
    "description": "deterministic integer inference",
    "fixed_sidebar": True,
    "page_width": "1140px",
}
templates_path = []
exclude_patterns = ["_build"]
primary_domain = "cpp"
highlight_language = "none"
nitpicky = False
