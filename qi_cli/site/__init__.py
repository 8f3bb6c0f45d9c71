"""`qi site`: the trust's project library as a static website built from the files.

`build.build_site` finds every project under a folder, keeps those its audience may
see (`audience.py`), reads each changed project once (`project_data.py`, spread over
the cores), links similar projects (`similar.py`), gathers what was learned across
projects (`learning.py`) and the search index (`search.py`), and writes only the pages
whose bytes changed (`folder.py` keeps the manifest that makes rebuilds incremental).
"""
