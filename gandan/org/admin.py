from django.contrib import admin

from gandan.org.models import Assignment, Award, Member, Membership, Team, TeamEvent


class MembershipInline(admin.TabularInline[Membership, Team]):
    model = Membership
    extra = 0
    raw_id_fields = ("member",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ("name", "kind", "level", "unit", "established_on", "dissolved_on")
    list_filter = ("level", "kind")
    search_fields = ("name", "search_name")
    raw_id_fields = ("unit", "parent")
    readonly_fields = ("search_name", "sort_key")
    inlines = [MembershipInline]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    list_display = ("identifier", "full_name", "gender", "birth_year")
    search_fields = ("identifier", "full_name", "search_name")
    # Ethnicity is sensitive: not listed or filtered here; edit through the member page.
    exclude = ("ethnicity",)
    readonly_fields = ("search_name", "sort_key")

    def has_add_permission(self, request: object) -> bool:
        return False  # members are added through the team page or the roster import


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin[Award]):
    list_display = ("kind", "decision_number", "decision_date", "body_level", "recipient")
    list_filter = ("kind", "body_level")
    raw_id_fields = ("unit", "team", "member")


admin.site.register(TeamEvent)
admin.site.register(Assignment)
