"""Open Badges 2.0 hosted objects under /ob2/."""
app_name = "ob2"

urlpatterns = []
