"""Writes for signed-in agents (session with CSRF, or token): their own declarations, instances
and comments, through the catalog services, which check permissions."""

from __future__ import annotations

from django.core.validators import RegexValidator
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from inventory.api import selectors, serializers
from inventory.api.conditional import cached_read
from inventory.api.pagination import SmallPageNumberPagination
from inventory.api.services import api_token_issue
from inventory.api.views.base import (
    DETAIL_ERRORS,
    READ_ERRORS,
    SLUG,
    WRITE_ERRORS,
    ApiViewSet,
    integer_id,
    slug_value,
)
from inventory.catalog import services
from inventory.catalog.models import Comment, Instance, ReferentDeclaration, Software
from inventory.core.weburls import WebURLSerializerField
from inventory.organisations.models import Organisation

DELETED = OpenApiResponse(description="Deleted.")


def _software(slug: str) -> Software:
    software = selectors.software_for_write(slug=slug_value(slug))
    if software is None:
        raise NotFound("No software with this slug.")
    return software


def _organisation(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise ValidationError({"organisation": f"No organisation with the slug {slug[:60]!r}."})
    return organisation


def _text(max_length: int = 2000, **kwargs) -> drf_serializers.CharField:
    return drf_serializers.CharField(
        required=False, allow_blank=True, max_length=max_length, default="", **kwargs
    )


class OrganisationInput(drf_serializers.Serializer):
    organisation = drf_serializers.SlugField(
        required=False,
        allow_blank=True,
        max_length=120,
        help_text="Slug of the organisation; by default the agent's own (others: curators only).",
    )


class ReferentInput(OrganisationInput):
    use_case = _text()
    is_technical_expert = drf_serializers.BooleanField(required=False, default=False)
    version = _text(100)
    service_url = WebURLSerializerField(required=False, allow_blank=True, default="")


class UserInput(OrganisationInput):
    use_case = _text()
    version = _text(100)
    os = _text(50)
    service_url = WebURLSerializerField(required=False, allow_blank=True, default="")


class DeclarationsViewSet(ApiViewSet):
    """POST declares (or updates), DELETE withdraws the agent's declaration on a software."""

    queryset = Software.objects.none()
    permission_classes = [IsAuthenticated]
    lookup_field = "slug"

    def _declare(self, request, slug: str, *, input_class, declare, withdraw, role: str):
        software = _software(slug)
        if request.method == "DELETE":
            withdraw(agent=request.user, software=software)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = input_class(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation = _organisation(fields.pop("organisation", None))
        declaration = declare(
            agent=request.user, software=software, organisation=organisation, **fields
        )
        declaration.role = role
        return Response(
            serializers.DeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        operation_id="software_referent_declare",
        description="Declare yourself (or update your declaration as) a referent of the software.",
        request=ReferentInput,
        responses={201: serializers.DeclarationSerializer, 204: DELETED, **WRITE_ERRORS},
        methods=["POST"],
    )
    @extend_schema(
        operation_id="software_referent_withdraw",
        description="Stop being a referent of the software.",
        request=None,
        responses={204: DELETED, **WRITE_ERRORS},
        methods=["DELETE"],
    )
    @action(detail=True, methods=["post", "delete"], url_path="referent")
    def referent(self, request, slug: str):
        return self._declare(
            request,
            slug,
            input_class=ReferentInput,
            declare=services.referent_declare,
            withdraw=services.referent_withdraw,
            role="referent",
        )

    @extend_schema(
        operation_id="software_user_declare",
        description="Declare that you use the software in your organisation.",
        request=UserInput,
        responses={201: serializers.DeclarationSerializer, **WRITE_ERRORS},
        methods=["POST"],
    )
    @extend_schema(
        operation_id="software_user_withdraw",
        description="Withdraw your declaration of use.",
        request=None,
        responses={204: DELETED, **WRITE_ERRORS},
        methods=["DELETE"],
    )
    @action(detail=True, methods=["post", "delete"], url_path="user")
    def user(self, request, slug: str):
        return self._declare(
            request,
            slug,
            input_class=UserInput,
            declare=services.user_declare,
            withdraw=services.user_withdraw,
            role="user",
        )


class TokenSerializer(drf_serializers.Serializer):
    key = drf_serializers.CharField(help_text="The token: keep it secret.")
    created = drf_serializers.DateTimeField()


class MeViewSet(ApiViewSet):
    queryset = ReferentDeclaration.objects.none()
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_declarations",
        description="Your own referent and user declarations (sign-in required).",
        responses={200: serializers.DeclarationSerializer(many=True), **WRITE_ERRORS},
    )
    @action(detail=False, methods=["get"], url_path="declarations")
    def declarations(self, request):
        rows = selectors.agent_declarations(agent=request.user)
        return Response(serializers.DeclarationSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="me_token_issue",
        description=(
            "Issue a new API token for scripts (sign in on the site first; the previous token "
            "stops working). Send it as `Authorization: Token <key>`."
        ),
        request=None,
        responses={201: TokenSerializer, **WRITE_ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="token")
    def token(self, request):
        token = api_token_issue(agent=request.user)
        return Response(TokenSerializer(token).data, status=status.HTTP_201_CREATED)


class InstanceInput(OrganisationInput):
    software = drf_serializers.SlugField(max_length=200, help_text="Slug of the software.")
    target_audience = _text()
    public_url = WebURLSerializerField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Empty for an internal instance.",
    )


class InstanceUpdateInput(drf_serializers.Serializer):
    target_audience = drf_serializers.CharField(required=False, allow_blank=True, max_length=2000)
    public_url = WebURLSerializerField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        description="Instances of catalog software run by organisations.",
        responses={200: serializers.InstanceSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        description="One instance.",
        responses={200: serializers.InstanceSerializer, **DETAIL_ERRORS},
    ),
    create=extend_schema(
        description="Add an instance run by your organisation.",
        request=InstanceInput,
        responses={201: serializers.InstanceSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        description="Change an instance of your organisation.",
        request=InstanceUpdateInput,
        responses={200: serializers.InstanceSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(
        description="Delete an instance of your organisation.",
        responses={204: DELETED, **WRITE_ERRORS},
    ),
)
class InstanceViewSet(ApiViewSet):
    queryset = Instance.objects.all()
    serializer_class = serializers.InstanceSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = SmallPageNumberPagination
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _instance(self, pk: str) -> Instance:
        instance = selectors.instance_get(pk=integer_id(pk))
        if instance is None:
            raise NotFound("No instance with this id.")
        return instance

    @cached_read
    def list(self, request):
        return self.paginated(
            selectors.instance_list(), modified=lambda instance: instance.updated_at
        )

    @cached_read
    def retrieve(self, request, pk: str):
        instance = self._instance(pk)
        self.note_modified(instance.updated_at)
        return Response(self.get_serializer(instance).data)

    def create(self, request):
        data = InstanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        instance = services.instance_add(
            agent=request.user,
            software=_software(fields.pop("software")),
            organisation=_organisation(fields.pop("organisation", None)),
            **fields,
        )
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: str):
        instance = self._instance(pk)
        data = InstanceUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        instance = services.instance_update(
            actor=request.user, instance=instance, **data.validated_data
        )
        return Response(self.get_serializer(instance).data)

    def destroy(self, request, pk: str):
        services.instance_delete(actor=request.user, instance=self._instance(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentInput(drf_serializers.Serializer):
    # Spaces are trimmed: the body needs something else (the schema's pattern says so).
    body = drf_serializers.CharField(
        max_length=10_000, help_text="Markdown.", validators=[RegexValidator(r"\S")]
    )


class SoftwareCommentInput(CommentInput):
    software = drf_serializers.SlugField(max_length=200, help_text="Slug of the software.")


@extend_schema_view(
    list=extend_schema(
        description="Visible comments on a software (the software parameter is required).",
        parameters=[
            OpenApiParameter(
                "software",
                str,
                required=True,
                pattern=r"^[-\w]{1,200}$",
                description="Slug of the software.",
            )
        ],
        responses={200: serializers.CommentSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        description="One visible comment.",
        responses={200: serializers.CommentSerializer, **DETAIL_ERRORS},
    ),
    create=extend_schema(
        description="Comment on a software (Markdown, sanitised).",
        request=SoftwareCommentInput,
        responses={201: serializers.CommentSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        description="Edit your own comment.",
        request=CommentInput,
        responses={200: serializers.CommentSerializer, **WRITE_ERRORS},
    ),
)
class CommentViewSet(ApiViewSet):
    queryset = Comment.objects.all()
    serializer_class = serializers.CommentSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = SmallPageNumberPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _comment(self, pk: str) -> Comment:
        comment = selectors.comment_get(pk=integer_id(pk))
        if comment is None:
            raise NotFound("No visible comment with this id.")
        return comment

    @cached_read
    def list(self, request):
        slug = request.query_params.get("software")
        if not slug:
            raise ValidationError({"software": "Give the slug of a software."})
        software = (
            selectors.software_api_get(slug=slug, viewer=request.user)
            if SLUG.fullmatch(slug)
            else None
        )
        if software is None:
            raise NotFound({"software": "No software of the catalog with this slug."})
        return self.paginated(
            selectors.comment_public_list(software=software),
            modified=lambda comment: comment.updated_at,
        )

    @cached_read
    def retrieve(self, request, pk: str):
        comment = self._comment(pk)
        self.note_modified(comment.updated_at)
        return Response(self.get_serializer(comment).data)

    def create(self, request):
        data = SoftwareCommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_create(
            author=request.user,
            software=_software(data.validated_data["software"]),
            body=data.validated_data["body"],
        )
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: str):
        data = CommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_edit(
            actor=request.user, comment=self._comment(pk), body=data.validated_data["body"]
        )
        return Response(self.get_serializer(comment).data)
