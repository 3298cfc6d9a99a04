"""The document layer: the dagsorden.document/1 contract and a stored meeting read back as one.

Neutral ground between the domain (``meetings``) and the interfaces that speak documents
(``importers`` produce them, ``publishing`` renders them, the command line prints them).
"""
