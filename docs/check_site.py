"""Checks the built site: every operator page exists, contains math, and
loads MathJax from the local _static copy (no CDN), and the status grid lists
all operators. Usage: check_site.py HTML_DIR SPEC_OPS_JSON"""
import json
import os
import re
import sys


def main(html_dir, ops_json):
    errors = []
    ops = [o["name"] for o in json.load(open(ops_json))["ops"]]
    for op in ops:
        page = os.path.join(html_dir, "spec", "ops", op + ".html")
        if not os.path.exists(page):
            errors.append("%s: page missing" % op)
            continue
        html = open(page, encoding="utf-8").read()
        if 'class="math' not in html:
            errors.append("%s: no rendered math" % op)
        scripts = re.findall(r'<script[^>]*src="([^"]*MathJax[^"]*)"', html)
        if not scripts or any("://" in s or not s.startswith("../../_static/mathjax/") for s in scripts):
            errors.append("%s: MathJax not loaded from the local copy: %s" % (op, scripts))
    if not os.path.exists(os.path.join(html_dir, "_static", "mathjax", "MathJax.js")):
        errors.append("_static/mathjax/MathJax.js missing")
    grid = open(os.path.join(html_dir, "spec", "ops", "index.html"), encoding="utf-8").read()
    for op in ops:
        if 'href="%s.html' % op not in grid:
            errors.append("status grid lacks %s" % op)
    for e in errors:
        print("check_site: " + e)
    print("check_site: %d operator pages checked, %d problems" % (len(ops), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
