"""The synthetic demo city (Yên Bái on the Red River): a generator of source files
(democity.generator) and `ioc load_demo`, which loads them through the importers (etl) once.

It sits above the importers and beside the services: nothing but tests and the demo command
imports it. Its data are synthetic (see README.md in this package).
"""
