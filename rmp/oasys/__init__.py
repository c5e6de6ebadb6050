"""The bridge to OASys: its JSON documents (the ORDS/ARNS API's and the ARNS service's own
shape) read strictly into a record, a draft plan made from the record, and a plan written back
in either shape or as copy-ready text. Field mapping: docs/oasys.md."""
