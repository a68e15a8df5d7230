"""The browser import (/api/imports/): upload a file, map its columns to a layer's fields, dry run,
download the refused rows, confirm; the same engine as `ioc import` (etl.importer), run on the queue."""
