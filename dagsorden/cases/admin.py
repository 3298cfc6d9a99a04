from django.contrib import admin

from dagsorden.cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["journal_number", "title", "kle_number", "facet", "year"]
    search_fields = ["journal_number", "title"]
    readonly_fields = ["kle_number", "facet", "serial", "year"]
