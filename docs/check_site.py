"""Checks the built site as its readers meet it. Usage:
check_site.py HTML_DIR SPEC_OPS_JSON

* every operator page exists, contains math, and loads MathJax from the local
  _static copy (no CDN), and the status grid lists all operators;
* no page loads a script, stylesheet or font from the network (the site must
  work offline, as on the build machines);
* every page links the theme additions (_static/custom.css, ours, not the
  theme's empty placeholder), which keep wide equations and tables inside the
  text column;
* navigation: the front page's table of contents reaches every top-level page,
  including the auditor's guide and the API reference, and every page has the
  sidebar with the navigation and the search box;
* search: search.html loads the search code and the index locally, and the
  index covers every page and every operator page title, the C++ API
  (cvm::Runtime, the operators' attribute structs) and every function of
  include/cvm/c_api.h;
* the API reference documents every CVMAPI* function that c_api.h declares;
* where Chromium is installed, in the browser itself: MathJax typesets an
  operator page without an error, and the search page (JavaScript) finds
  an operator page and a C API function.
"""
import json
import os
import re
import shutil
import subprocess
import sys

# Top-level pages the front page's toctree must link (docs/index.rst).
TOP_PAGES = ["spec/index", "audit", "conformance", "proofs", "fuzzing", "performance", "api"]
# C++ entities that the search index must know (the reference is generated
# from include/cvm through Doxygen and Breathe).
CPP_OBJECTS = ["cvm::Runtime", "cvm::Model", "cvm::Conv2dAttrs", "cvm::LogicError"]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def html_pages(html_dir):
    for root, dirs, files in os.walk(html_dir):
        dirs[:] = [d for d in dirs if d not in ("_static", "_sources", "_images")]
        for name in files:
            if name.endswith(".html"):
                yield os.path.join(root, name)


def load_search_index(html_dir):
    text = read(os.path.join(html_dir, "searchindex.js"))
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def c_api_functions(source_root):
    header = read(os.path.join(source_root, "include", "cvm", "c_api.h"))
    return sorted(set(re.findall(r"\b(CVMAPI\w+)\s*\(", header)))


def check_ops(html_dir, ops, errors):
    for op in ops:
        page = os.path.join(html_dir, "spec", "ops", op + ".html")
        if not os.path.exists(page):
            errors.append("%s: page missing" % op)
            continue
        html = read(page)
        if 'class="math' not in html:
            errors.append("%s: no rendered math" % op)
        scripts = re.findall(r'<script[^>]*src="([^"]*MathJax[^"]*)"', html)
        if not scripts or any("://" in s or not s.startswith("../../_static/mathjax/") for s in scripts):
            errors.append("%s: MathJax not loaded from the local copy: %s" % (op, scripts))
    if not os.path.exists(os.path.join(html_dir, "_static", "mathjax", "MathJax.js")):
        errors.append("_static/mathjax/MathJax.js missing")
    grid = read(os.path.join(html_dir, "spec", "ops", "index.html"))
    for op in ops:
        if 'href="%s.html' % op not in grid:
            errors.append("status grid lacks %s" % op)


def check_pages(html_dir, errors):
    custom = os.path.join(html_dir, "_static", "custom.css")
    if not os.path.exists(custom) or "div.math" not in read(custom):
        errors.append("_static/custom.css is not docs/_static/custom.css")
    remote = re.compile(r'<(?:script|link|img)\b[^>]*(?:src|href)="(?:https?:)?//[^"]*"')
    count = 0
    for page in html_pages(html_dir):
        count += 1
        rel = os.path.relpath(page, html_dir)
        html = read(page)
        for m in remote.finditer(html):
            if "<link" in m.group(0) and 'rel="stylesheet"' not in m.group(0):
                continue  # a plain hyperlink-like <link>, not a resource
            errors.append("%s: loads a resource from the network: %s" % (rel, m.group(0)))
        if not re.search(r'<link[^>]*href="(?:\.\./)*_static/custom\.css"', html):
            errors.append("%s: does not link _static/custom.css" % rel)
        if 'class="sphinxsidebar"' not in html or 'class="toctree-l1"' not in html:
            errors.append("%s: no sidebar with the navigation" % rel)
        # The theme leaves the quick-search box out of the search page itself.
        if rel != "search.html" and 'id="searchbox"' not in html:
            errors.append("%s: no search box" % rel)
    for css in ("alabaster.css", "basic.css", "custom.css"):
        path = os.path.join(html_dir, "_static", css)
        if os.path.exists(path) and re.search(r"url\(\s*['\"]?(?:https?:)?//", read(path)):
            errors.append("_static/%s: fetches from the network" % css)
    return count


def check_navigation(html_dir, errors):
    index = read(os.path.join(html_dir, "index.html"))
    body = index.split('class="body"', 1)[-1]
    for page in TOP_PAGES:
        if 'href="%s.html' % page not in body:
            errors.append("index.html: table of contents lacks %s" % page)


def check_search(html_dir, ops, c_functions, errors):
    search = read(os.path.join(html_dir, "search.html"))
    for script in ("_static/searchtools.js", "searchindex.js"):
        if 'src="%s"' % script not in search:
            errors.append("search.html: does not load %s" % script)
    try:
        index = load_search_index(html_dir)
    except (OSError, ValueError) as e:
        errors.append("searchindex.js unreadable: %s" % e)
        return
    docnames = set(index["docnames"])
    for page in TOP_PAGES + ["spec/ops/" + op for op in ops]:
        if page not in docnames:
            errors.append("search index lacks the page %s" % page)
    titles = set(index["titles"])
    for op in ops:
        if op not in titles:
            errors.append("search index lacks the title %s" % op)
    names = set()
    for entries in index["objects"].values():
        for entry in entries:
            names.add(entry[4] if isinstance(entry, list) else entry)
    for name in CPP_OBJECTS + c_functions:
        if name not in names:
            errors.append("search index lacks the API entry %s" % name)


def check_api(html_dir, c_functions, errors):
    api = read(os.path.join(html_dir, "api.html"))
    for name in c_functions:
        if not re.search(r'id="_CPPv\d%d%s' % (len(name), name), api):
            errors.append("api.html: no reference entry for %s (include/cvm/c_api.h)" % name)


def dump_dom(browser, url):
    """The page's DOM after its scripts ran (headless Chromium, no network)."""
    cmd = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--virtual-time-budget=8000",
           "--dump-dom", url]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def check_in_browser(html_dir, errors):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("check_site: no chromium: the in-browser checks are skipped")
        return
    root = "file://" + os.path.abspath(html_dir)
    dom = dump_dom(browser, root + "/spec/ops/conv2d.html")
    body = dom.split("<body", 1)[-1]
    if 'class="mjx-chtml' not in body:
        errors.append("browser: MathJax typeset nothing on spec/ops/conv2d.html")
    if re.search(r'class="[^"]*(?:mjx-merror|MathJax_Error)', body):
        errors.append("browser: MathJax reports an error on spec/ops/conv2d.html")
    for query, want in (("conv2d", "spec/ops/conv2d.html"), ("CVMAPIInference", "api.html#")):
        dom = dump_dom(browser, root + "/search.html?q=" + query)
        results = dom.split('<ul class="search">', 1)
        if len(results) < 2 or 'href="%s' % want not in results[1]:
            errors.append("browser: searching %r does not find %s" % (query, want))


def main(html_dir, ops_json):
    errors = []
    ops = [o["name"] for o in json.load(open(ops_json))["ops"]]
    source_root = os.path.dirname(os.path.dirname(os.path.abspath(ops_json)))
    c_functions = c_api_functions(source_root)
    check_ops(html_dir, ops, errors)
    pages = check_pages(html_dir, errors)
    check_navigation(html_dir, errors)
    check_search(html_dir, ops, c_functions, errors)
    check_api(html_dir, c_functions, errors)
    check_in_browser(html_dir, errors)
    for e in errors:
        print("check_site: " + e)
    print("check_site: %d operator pages, %d pages, %d C API functions checked, %d problems"
          % (len(ops), pages, len(c_functions), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
