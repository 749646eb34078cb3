/** API tokens' inputs. Pure zod. */
import { z } from "zod";
import { rowId } from "@/lib/forms/fields";

export const TOKEN_NAME_MAX = 100;

export const tokenNameSchema = z.object({
  name: z.string({ error: "Name the token" }).trim().min(1, "Name the token (what will use it?)").max(TOKEN_NAME_MAX, `At most ${TOKEN_NAME_MAX} characters`),
});
export const revokeTokenSchema = z.object({ id: rowId("token") });
