"""Downloads of a credential in every format, and the issuers' JWKs."""
urlpatterns = []
