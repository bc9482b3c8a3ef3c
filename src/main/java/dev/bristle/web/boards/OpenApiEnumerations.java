package dev.bristle.web.boards;

import dev.bristle.keys.Keyed;
import dev.bristle.leaderboard.Dataset;
import dev.bristle.leaderboard.Ipc;
import dev.bristle.leaderboard.SortColumn;
import dev.bristle.leaderboard.SortDirection;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.train.TrainingRecipe;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document's enumerations of query and path values, generated from the enums that parse them: each enum
 * becomes a named schema of its keys, which parameters refer to with {@code @Schema(ref = "...")}. A value added to
 * an enum is in the document at once; nobody types a list twice.
 */
public class OpenApiEnumerations implements OASFilter {

    /** The schema names parameters refer to, and the enums whose keys they list. */
    static final Map<String, Class<? extends Keyed>> SCHEMAS = schemas();

    private static Map<String, Class<? extends Keyed>> schemas() {
        Map<String, Class<? extends Keyed>> schemas = new LinkedHashMap<>();
        schemas.put("DatasetSlug", Dataset.class);
        schemas.put("IpcKey", Ipc.class);
        schemas.put("AttackModeKey", AttackMode.class);
        schemas.put("ProtocolKey", AttackProtocol.class);
        schemas.put("RecipeKey", TrainingRecipe.Kind.class);
        schemas.put("SortColumnKey", SortColumn.class);
        schemas.put("SortDirectionKey", SortDirection.class);
        schemas.put("ExportFormatKey", ExportFormat.class);
        return schemas;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        for (Map.Entry<String, Class<? extends Keyed>> schema : SCHEMAS.entrySet()) {
            components.addSchema(schema.getKey(), OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                    .enumeration(keys(schema.getValue())));
        }
    }

    static List<Object> keys(Class<? extends Keyed> type) {
        return Arrays.stream(type.getEnumConstants()).map(constant -> (Object) constant.key()).toList();
    }
}
