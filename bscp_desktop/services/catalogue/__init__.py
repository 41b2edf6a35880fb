"""The publication catalogue, stored documents, archive requests and their fulfilment."""
