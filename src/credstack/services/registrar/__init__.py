"""The registrar's certificate office (issue 56): academic records imported from the
student-information system (:mod:`.importing`) and read back (:mod:`.records`), the documents
issued from them (:mod:`.documents`) and found by their id for the public (:mod:`.public`)."""

from credstack.services.registrar.importing import FORMATS as IMPORT_FORMATS
from credstack.services.registrar.importing import import_body, import_export
from credstack.services.registrar.public import credential_document

__all__ = ["IMPORT_FORMATS", "credential_document", "import_body", "import_export"]
